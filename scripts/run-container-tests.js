// The container suite: makes sure a Docker engine answers (docker/engine.sh), runs the Docker unit tests
// (*.docker.test.js → reports/counts/docker.json), then the bundled features on the container driver
// (→ reports/counts/features-containers.json). Exit code 0 only if both passed.
const { spawnSync } = require("node:child_process");
const { runExamples } = require("./examples");
const path = require("node:path");

const root = path.join(__dirname, "..");
const started = Date.now();

const counts = { ...process.env, EXLAB_COUNTS_DIR: path.join(root, "reports", "counts") };

function step(title, command, args, env = process.env) {
  console.log(`\n== ${title}: ${[command, ...args].join(" ")}`);
  const r = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (r.error) console.error(`${title}: ${r.error.message}`);
  return r.status === 0;
}

if (!step("engine", "bash", ["docker/engine.sh"])) {
  console.error("No Docker engine: the container suite cannot run (see the message above).");
  process.exit(1);
}
const unit = step("docker unit tests", process.execPath, ["scripts/run-unit-tests.js", "--docker"]);
const features = step(
  "features on containers",
  process.execPath,
  ["bin/exlab.js", "run", "--driver", "containers"],
  counts,
);
const examples = runExamples("containers", counts);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `\ncontainer suite: docker unit tests ${unit ? "passed" : "FAILED"}, features on containers ${features ? "passed" : "FAILED"}, examples ${examples ? "passed" : "FAILED"} (${seconds} s)`,
);
process.exit(unit && features && examples ? 0 : 1);
