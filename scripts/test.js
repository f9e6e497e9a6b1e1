// `npm test`: every compiled unit test, then the bundled features on the process driver. Both run even if the
// first fails, so the counts of both reach .ci/run; the exit code is non-zero if either failed.
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.join(__dirname, "..");
const run = (args) => spawnSync(process.execPath, args, { stdio: "inherit", cwd: root }).status ?? 1;

const unit = run([path.join(__dirname, "run-unit-tests.js")]);
const features = run([path.join(root, "bin", "exlab.js"), "run", "--driver", "processes"]);
process.exit(unit !== 0 || features !== 0 ? 1 : 0);
