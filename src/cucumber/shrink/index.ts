export { shrinkScenario, type ShrinkOptions, type ShrinkResult } from "./shrink";
export { shrinkTarget, type ShrinkTarget } from "./target";
export { exlabRunner, type ScenarioRunner } from "./run-candidate";
export { describeFailure } from "./failure";
