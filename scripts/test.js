// `npm test`: the static checks (format, lint, type-check of what the build does not compile), every compiled unit
// test, then the bundled features on the process driver. All run even if one fails, so every count reaches
// .ci/run; the exit code is non-zero if any failed.
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { writeCounts } = require("./counts");
const { runExamples } = require("./examples");

const root = path.join(__dirname, "..");
const run = (args, env = process.env) =>
  spawnSync(process.execPath, args, { stdio: "inherit", cwd: root, env }).status ?? 1;
const bin = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

const checks = {
  "prettier --check": [bin("prettier", "bin/prettier.cjs"), "--check", "."],
  eslint: [bin("eslint", "bin/eslint.js"), "."],
  "tsc bench": [bin("typescript", "bin/tsc"), "-p", "bench/tsconfig.json"],
  "tsc scripts": [bin("typescript", "bin/tsc"), "-p", "scripts/tsconfig.json"],
};
const failedChecks = Object.entries(checks)
  .filter(([, args]) => run(args) !== 0)
  .map(([name]) => name);
const total = Object.keys(checks).length;
writeCounts("checks", total - failedChecks.length, failedChecks.length);
console.log(`checks: ${total - failedChecks.length} passed, ${failedChecks.length} failed ${failedChecks.join(", ")}`);

const unit = run([path.join(__dirname, "run-unit-tests.js")]);
const counts = { ...process.env, EXLAB_COUNTS_DIR: path.join(root, "reports", "counts") };
const features = run([path.join(root, "bin", "exlab.js"), "run", "--driver", "processes"], counts);
const examples = runExamples("processes", counts);
process.exit(failedChecks.length || unit !== 0 || features !== 0 || !examples ? 1 : 0);
