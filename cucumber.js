// Cucumber configuration for the bundled features.
// - `exlab run` uses the "lab" profile and adds paths, the evidence formatters (progress on the console,
//   reports/<run>/index.html, junit.xml) and a tag filter for the chosen driver.
// - `npx cucumber-js` (after `npm run build`: the bundled steps are compiled, dist/cucumber/steps) uses "default".
const lab = {
  require: ["dist/cucumber/steps/index.js"],
  strict: true,
};

const driver = process.env.LAB_DRIVER || "processes";

module.exports = {
  lab,
  default: {
    ...lab,
    paths: ["features/**/*.feature"],
    // Scenarios tagged for the other driver are filtered out, not reported as pending.
    tags: driver === "containers" ? "not @processes" : "not @containers",
    format: ["progress"],
    worldParameters: { driver },
  },
};
