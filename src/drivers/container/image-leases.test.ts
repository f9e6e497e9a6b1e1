import { after, describe, test } from "node:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { holdsLease, leasedImages, leaseDir, leaseImages } from "./image-leases";

describe("image leases", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "exlab-leases-"));
  after(() => rmSync(stateDir, { recursive: true, force: true }));
  const deadPid = 2 ** 22 + 779;

  test("a process's lease holds the union of what it leased, and other live processes' leases are read too", () => {
    expect(leasedImages(stateDir)).to.deep.equal(new Set());
    expect(holdsLease(stateDir, ["exlab-machine:a"])).to.equal(false);
    leaseImages(stateDir, ["exlab-machine:a", "exlab-faultproxy:b"]);
    leaseImages(stateDir, ["exlab-machine:c"]);
    expect(holdsLease(stateDir, ["exlab-machine:a", "exlab-machine:c"])).to.equal(true);
    expect(holdsLease(stateDir, ["exlab-machine:d"])).to.equal(false);
    expect(JSON.parse(readFileSync(join(leaseDir(stateDir), `${process.pid}.json`), "utf8"))).to.deep.equal({
      pid: process.pid,
      refs: ["exlab-faultproxy:b", "exlab-machine:a", "exlab-machine:c"],
    });
    writeFileSync(
      join(leaseDir(stateDir), `${process.ppid}.json`),
      JSON.stringify({ pid: process.ppid, refs: ["exlab-machine:parent"] }),
    );
    expect(leasedImages(stateDir)).to.deep.equal(
      new Set(["exlab-faultproxy:b", "exlab-machine:a", "exlab-machine:c", "exlab-machine:parent"]),
    );
  });

  test("the lease of a dead process counts for nothing and its file goes", () => {
    const file = join(leaseDir(stateDir), `${deadPid}.json`);
    writeFileSync(file, JSON.stringify({ pid: deadPid, refs: ["exlab-machine:dead"] }));
    expect(leasedImages(stateDir).has("exlab-machine:dead")).to.equal(false);
    expect(existsSync(file)).to.equal(false);
  });

  test("a process's lease file is removed when it exits", () => {
    const dir = mkdtempSync(join(tmpdir(), "exlab-leases-child-"));
    try {
      const leases = require.resolve("./image-leases");
      const script = `const l = require(${JSON.stringify(leases)}); l.leaseImages(${JSON.stringify(dir)}, ["x:1"]); console.log(process.pid, [...l.leasedImages(${JSON.stringify(dir)})].join())`;
      const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      expect(child.status, child.stderr).to.equal(0);
      const [pid, held] = child.stdout.trim().split(" ");
      expect(held).to.equal("x:1");
      expect(existsSync(join(leaseDir(dir), `${pid}.json`))).to.equal(false);
      expect(leasedImages(dir)).to.deep.equal(new Set());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
