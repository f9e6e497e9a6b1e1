// This checkout's cucumber configuration, read by `exlab run` like any project's: the runner adds the bundled steps,
// the driver's tag filter, the evidence formatters and features/ itself, so the default profile needs nothing.
// `npx cucumber-js -p plain` runs the same features with plain cucumber-js (after `npm run build`). The tag filter
// comes from the driver registry (compiled, dist/drivers): scenarios tagged for another registered driver
// (@processes, @containers, or a driver of EXLAB_DRIVERS) are filtered out, untagged ones run everywhere.
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
  default: {},
  plain: {
    require: ["dist/cucumber/steps/index.js"],
    paths: ["features/**/*.feature"],
    tags: driverTagExpression(driver),
    format: ["progress"],
    worldParameters: { driver },
  },
};
