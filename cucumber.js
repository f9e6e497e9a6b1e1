// Cucumber configuration for the bundled features. `exlab run` loads it, adds the evidence formatters
// (progress on the console, reports/<run>/index.html and junit.xml) and a tag filter for the chosen driver.
// Running `npx cucumber-js` directly also works after `npm run build` (steps drive the compiled lab in dist/).
const driver = process.env.LAB_DRIVER || "processes";

module.exports = {
  default: {
    paths: ["features/**/*.feature"],
    requireModule: ["ts-node/register/transpile-only"],
    require: ["step_definitions/**/*.ts"],
    // Scenarios tagged for the other driver are filtered out, not reported as pending.
    tags: driver === "containers" ? "not @processes" : "not @containers",
    format: ["progress"],
    worldParameters: { driver },
    strict: true,
  },
};
