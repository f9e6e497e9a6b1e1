// Cucumber configuration for the bundled features.
// - `exlab run` uses the "lab" profile and adds paths, the evidence formatters (progress on the console,
//   reports/<run>/index.html, junit.xml) and a tag filter for the chosen driver.
// - `npx cucumber-js` (after `npm run build`: the bundled steps are compiled, dist/cucumber/steps) uses "default".
// The tag filter comes from the driver registry (compiled, dist/drivers): scenarios tagged for another registered
// driver (@processes, @containers, or a driver of EXLAB_DRIVERS) are filtered out, untagged ones run everywhere.
const lab = {
  require: ["dist/cucumber/steps/index.js"],
  strict: true,
};

function drivers() {
  try {
    return require("./dist/drivers/index.js");
  } catch (e) {
    const err = /** @type {NodeJS.ErrnoException} */ (e);
    if (err.code === "MODULE_NOT_FOUND" && String(err.message).includes("dist/drivers/index.js"))
      throw new Error("cucumber.js: the lab is not built (no dist/drivers/index.js): run `npm run build` first");
    throw err;
  }
}

const { driverTagExpression } = drivers();
const driver = process.env.LAB_DRIVER || "processes";

module.exports = {
  lab,
  default: {
    ...lab,
    paths: ["features/**/*.feature"],
    // Scenarios tagged for another driver are filtered out, not reported as pending.
    tags: driverTagExpression(driver),
    format: ["progress"],
    worldParameters: { driver },
  },
};
