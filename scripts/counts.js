// Suite results as counts files: each suite writes reports/counts/<suite>.json = { passed, failed };
// `.ci/run` adds them up into its final `N passed, N failed` line.
const fs = require("node:fs");
const path = require("node:path");

const dir = path.join(__dirname, "..", "reports", "counts");

function writeCounts(suite, passed, failed) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${suite}.json`), JSON.stringify({ passed, failed }) + "\n");
}

function totalCounts() {
  let passed = 0;
  let failed = 0;
  const suites = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
  for (const f of suites) {
    const c = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    passed += c.passed;
    failed += c.failed;
  }
  return { passed, failed, suites: suites.length };
}

module.exports = { writeCounts, totalCounts };

if (require.main === module) {
  const { passed, failed } = totalCounts();
  console.log(`${passed} passed, ${failed} failed`);
}
