// The examples' features (examples/<name>/features), each run from its own folder as a user would run it in
// their project (`exlab run` there), on one driver; counts go to reports/counts/example-<name>-<driver>.json.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");

/** Runs every example's features on `driver`; true when all passed. */
function runExamples(driver, env = process.env) {
  const dir = path.join(root, "examples");
  const names = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, "features")))
    : [];
  let ok = true;
  for (const name of names) {
    console.log(`\n== example ${name} on ${driver}`);
    const r = spawnSync(process.execPath, [path.join(root, "bin", "exlab.js"), "run", "--driver", driver], {
      cwd: path.join(dir, name),
      stdio: "inherit",
      env: { ...env, EXLAB_COUNTS_NAME: `example-${name}-${driver}` },
    });
    ok = ok && r.status === 0;
  }
  return ok;
}

module.exports = { runExamples };
