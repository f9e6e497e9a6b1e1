import { after, describe, test } from "node:test";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { expect } from "chai";
import { splitName, tarStream } from "./tar";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-tar-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("tarStream", () => {
  test("writes an archive GNU tar lists and extracts: dirs, files, data, symlinks, long names, modes, owners", async () => {
    const src = path.join(dir, "bin.dat");
    const content = Buffer.alloc(1500, 7);
    fs.writeFileSync(src, content);
    fs.chmodSync(src, 0o750);
    const longDir = `deep/${"d".repeat(90)}/${"e".repeat(90)}`;
    const longest = `${"x".repeat(120)}/${"y".repeat(120)}/${"z".repeat(120)}.txt`;
    const archive = path.join(dir, "a.tar");
    await pipeline(
      tarStream([
        { type: "dir", path: "tmp", mode: 0o1777 },
        { type: "dir", path: "home/node", uid: 1000, gid: 1000 },
        { type: "file", path: "usr/bin/tool", source: src },
        { type: "data", path: "etc/passwd", data: "root:x:0:0::/root:/bin/sh\n" },
        { type: "data", path: "empty", data: "" },
        { type: "symlink", path: "usr/bin/alias", target: "tool" },
        { type: "data", path: `${longDir}/f.txt`, data: "long" },
        { type: "data", path: longest, data: "longest" },
      ]),
      fs.createWriteStream(archive),
    );
    expect(fs.statSync(archive).size % 512).to.equal(0);
    const listing = execFileSync("tar", ["-tvf", archive], { encoding: "utf8" });
    expect(listing).to.match(/^drwxrwxrwt root\/root\s+0 .* tmp\/$/m);
    expect(listing).to.match(/^drwxr-xr-x 1000\/1000\s+0 .* home\/node\/$/m);
    expect(listing).to.match(/^-rwxr-x--- root\/root\s+1500 .* usr\/bin\/tool$/m);
    expect(listing).to.match(/usr\/bin\/alias -> tool$/m);
    const out = path.join(dir, "out");
    fs.mkdirSync(out);
    execFileSync("tar", ["-xf", archive, "-C", out]);
    expect(fs.readFileSync(path.join(out, "usr/bin/tool")).equals(content)).to.equal(true);
    expect(fs.readFileSync(path.join(out, "etc/passwd"), "utf8")).to.equal("root:x:0:0::/root:/bin/sh\n");
    expect(fs.readFileSync(path.join(out, "empty"), "utf8")).to.equal("");
    expect(fs.readlinkSync(path.join(out, "usr/bin/alias"))).to.equal("tool");
    expect(fs.readFileSync(path.join(out, longDir, "f.txt"), "utf8")).to.equal("long");
    expect(fs.readFileSync(path.join(out, longest), "utf8")).to.equal("longest");
  });

  test("a source file that is missing fails the stream with the file's error", async () => {
    const stream = tarStream([{ type: "file", path: "f", source: path.join(dir, "absent") }]);
    const err = await pipeline(stream, fs.createWriteStream(path.join(dir, "b.tar"))).catch((e: Error) => e);
    expect(err).to.have.property("code", "ENOENT");
  });
});

describe("splitName", () => {
  test("short names stay whole; long ones split at a slash into ustar prefix and name, or need pax", () => {
    expect(splitName("a/b")).to.deep.equal(["", "a/b"]);
    const p = `${"a".repeat(120)}/${"b".repeat(50)}`;
    expect(splitName(p)).to.deep.equal(["a".repeat(120), "b".repeat(50)]);
    expect(splitName(`${"a".repeat(160)}/b`)).to.equal(undefined);
    expect(splitName(`a/${"b".repeat(101)}`)).to.equal(undefined);
  });
});
