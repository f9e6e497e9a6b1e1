// Summarises .cpuprofile files (from bench/profile.ts): self time by function (top N) and by file.
// node bench/profile-summary.js DIR [file-name filter] [N=25]
const fs = require("fs");
const path = require("path");
const [dir, filter, n = 25] = process.argv.slice(2);
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile") && (!filter || f.includes(filter)))) {
  const p = JSON.parse(fs.readFileSync(path.join(dir, f)));
  const self = new Map();
  const byFile = new Map();
  let total = 0;
  const dt = p.timeDeltas;
  const counts = new Map();
  p.samples.forEach((id, i) => counts.set(id, (counts.get(id) || 0) + (dt[i] || 0)));
  for (const node of p.nodes) {
    const t = (counts.get(node.id) || 0) / 1000;
    total += t;
    const cf = node.callFrame;
    const key = `${cf.functionName || "(anon)"} ${cf.url.replace(/.*\/(dist|node_modules)\//, "$1/")}:${cf.lineNumber}`;
    self.set(key, (self.get(key) || 0) + t);
    const file = cf.url ? cf.url.replace(/.*\/(dist|node_modules)\//, "$1/") : cf.functionName;
    byFile.set(file, (byFile.get(file) || 0) + t);
  }
  console.log(`== ${f}: ${total.toFixed(0)} ms sampled`);
  [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, +n)
    .forEach(([k, t]) =>
      console.log(`  ${((100 * t) / total).toFixed(1).padStart(5)}% ${t.toFixed(0).padStart(6)} ms  ${k}`),
    );
  console.log("  -- by file");
  [...byFile]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .forEach(([k, t]) => console.log(`  ${((100 * t) / total).toFixed(1).padStart(5)}% ${k}`));
}
