// The Cucumber glue's door, also the package's `exchange-lab/cucumber` entry: the World the bundled steps share
// (for users' own steps: `this: LabWorld`, `this.lab`), and the features runner the CLI calls. Cucumber loads the
// compiled step phrases (`exchange-lab/steps`) and the evidence formatters (formatter/) by path.
export { LabWorld, type LabWorldParameters } from "./world";
export { runFeatures } from "./run-features";
export { shrinkScenario, shrinkTarget, exlabRunner, describeFailure } from "./shrink";
