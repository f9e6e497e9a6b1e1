// The Cucumber glue's door: the features runner the CLI calls. Cucumber itself loads the compiled step phrases
// (steps/index.ts) and the evidence formatters (formatter/) by path.
export { runFeatures } from "./run-features";
