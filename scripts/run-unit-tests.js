// Runs the compiled *.test.js under dist/ and the examples' own examples/*/test/*.test.js with node's test runner:
// spec output on the console, the counts into reports/counts/unit.json. Exit code is the runner's.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { writeCounts } = require("./counts");

const root = path.join(__dirname, "..");

function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith(".test.js") ? [p] : [];
  });
}

// `--docker` selects the tests that need a Docker engine (*.docker.test.js); without it they are left out.
const args = process.argv.slice(2);
const docker = args.includes("--docker");
const filter = args.filter((a) => a !== "--docker");
const suite = docker ? "docker" : "unit";
// The examples' own tests (plain JavaScript, examples/<name>/test/) run beside the compiled ones.
const examples = path.join(root, "examples");
const exampleTests = fs.existsSync(examples)
  ? fs.readdirSync(examples).flatMap((name) => testFiles(path.join(examples, name, "test")))
  : [];
const compiled = testFiles(path.join(root, "dist"));
const files = [...compiled, ...exampleTests]
  .filter((f) => f.endsWith(".docker.test.js") === docker)
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
if (compiled.length === 0) {
  console.error("No compiled tests under dist/: run `npm run build` first.");
  process.exit(1);
}
const tapFile = path.join(root, "reports", `${suite}.tap`);
fs.mkdirSync(path.dirname(tapFile), { recursive: true });
const child = spawn(
  process.execPath,
  [
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: "inherit", cwd: root },
);
child.on("exit", (code, signal) => {
  const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, "utf8") : "";
  const count = (k) => Number((tap.match(new RegExp(`^# ${k} (\\d+)$`, "m")) || [])[1] || 0);
  const passed = count("pass");
  const failed = count("fail") + count("cancelled") + (code !== 0 && count("fail") === 0 ? 1 : 0);
  writeCounts(suite, passed, failed);
  console.log(`${suite}: ${passed} passed, ${failed} failed`);
  process.exit(signal ? 1 : (code ?? 1));
});
