import { after, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { lddLibraries, NODE_IN_IMAGE, parseLdd, rootfsEntries, rootfsHash, RootfsRecipe } from "./rootfs";

const GLIBC = `	linux-vdso.so.1 (0x00007ffd3b1f2000)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f0d5b388000)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f0d5b000000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0d5ae1e000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f0d5b3a0000)
`;
const MUSL = `	/lib/ld-musl-x86_64.so.1 (0x7f1c2a5e1000)
	libstdc++.so.6 => /usr/lib/libstdc++.so.6 (0x7f1c2a200000)
	libc.musl-x86_64.so.1 => /lib/ld-musl-x86_64.so.1 (0x7f1c2a5e1000)
`;

describe("parseLdd", () => {
  test("glibc listing: resolved libraries and the loader, without the vdso", () => {
    expect(parseLdd(GLIBC)).to.deep.equal({
      libs: [
        "/lib/x86_64-linux-gnu/libdl.so.2",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib64/ld-linux-x86-64.so.2",
      ],
      missing: [],
    });
  });

  test("musl listing: the loader once, even when listed twice", () => {
    expect(parseLdd(MUSL).libs).to.deep.equal(["/lib/ld-musl-x86_64.so.1", "/usr/lib/libstdc++.so.6"]);
  });

  test("libraries ldd cannot find are reported; static binaries have none", () => {
    expect(parseLdd("\tlibfoo.so.1 => not found\n\tlibc.so.6 => /lib/libc.so.6 (0x1)\n")).to.deep.equal({
      libs: ["/lib/libc.so.6"],
      missing: ["libfoo.so.1"],
    });
    expect(parseLdd("\tstatically linked\n")).to.deep.equal({ libs: [], missing: [] });
  });

  test("this host's node: ldd names a C library and the loader, all existing files", async () => {
    const libs = await lddLibraries(process.execPath);
    expect(libs.some((l) => /\/libc\.so|ld-musl/.test(l))).to.equal(true);
    for (const l of libs) expect(fs.existsSync(l), l).to.equal(true);
  });
});

describe("rootfs recipe", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-rootfs-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const node = path.join(dir, "node");
  const lib = path.join(dir, "libs", "libx.so.1");
  const overlay = path.join(dir, "overlay");
  fs.mkdirSync(path.dirname(lib), { recursive: true });
  fs.mkdirSync(path.join(overlay, "etc"), { recursive: true });
  fs.writeFileSync(node, "#!node");
  fs.writeFileSync(lib, "lib v1");
  fs.symlinkSync(lib, path.join(dir, "libs", "libx.so"));
  fs.writeFileSync(path.join(overlay, "etc", "passwd"), "root:x:0:0::/root:/bin/sh\n");
  const recipe: RootfsRecipe = { node, libs: [path.join(dir, "libs", "libx.so")], overlay };

  test("entries: /tmp sticky, a home for uid 1000, overlay files, node on PATH, libraries at their listed paths", () => {
    const entries = rootfsEntries(recipe);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get("tmp")).to.deep.include({ type: "dir", mode: 0o1777 });
    expect(byPath.get("home/node")).to.deep.include({ type: "dir", uid: 1000 });
    expect(byPath.get("etc/passwd")).to.deep.include({ type: "file", source: path.join(overlay, "etc", "passwd") });
    expect(byPath.get(NODE_IN_IMAGE)).to.deep.include({ type: "file", source: node, mode: 0o755 });
    const libRel = path.join(dir, "libs", "libx.so").slice(1);
    expect(byPath.get(libRel)).to.deep.include({ type: "file", source: lib });
    const index = (p: string) => entries.findIndex((e) => e.path === p);
    expect(index(path.dirname(libRel))).to.be.lessThan(index(libRel));
    expect(index("usr/local/bin")).to.be.lessThan(index(NODE_IN_IMAGE));
    expect(new Set(entries.map((e) => e.path)).size).to.equal(entries.length);
  });

  test("the hash is stable and changes with node's version, a library's content, or the overlay", () => {
    const h = rootfsHash(recipe, "v20.0.0", "x64");
    expect(h).to.match(/^[0-9a-f]{16}$/);
    expect(rootfsHash(recipe, "v20.0.0", "x64")).to.equal(h);
    expect(rootfsHash(recipe, "v20.0.1", "x64")).not.to.equal(h);
    fs.writeFileSync(lib, "lib v2");
    const h2 = rootfsHash(recipe, "v20.0.0", "x64");
    expect(h2).not.to.equal(h);
    fs.writeFileSync(path.join(overlay, "etc", "group"), "root:x:0:\n");
    expect(rootfsHash(recipe, "v20.0.0", "x64")).not.to.equal(h2);
  });
});
