import { after, beforeEach, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { PROJECT_ROOT } from "./base-image";
import { DockerignoreInvalidError, ProjectTooLargeError, ProjectUnreadableError } from "./errors";
import { hashFile } from "./file-digests";
import { planProjectContext, type ProjectPlanOptions } from "./project-context";
import type { TarEntry } from "./tar";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-project-context-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const project = path.join(tmp, "project");
const outside = path.join(tmp, "outside");
const stateDir = path.join(tmp, "state");
/** An hour ago: old enough for the digest cache to trust the files' stamps. */
const settled = Date.now() + 3600_000;

function write(rel: string, text: string, mode = 0o644): void {
  const file = path.join(project, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
}

const options: ProjectPlanOptions = { packageRoot: PROJECT_ROOT, stateDir, now: settled };
const plan = (more: Partial<ProjectPlanOptions> = {}, machineId = "sha256:machine1") =>
  planProjectContext(project, machineId, { ...options, ...more });
const paths = (entries: TarEntry[]) => entries.map((e) => e.path);

beforeEach(() => {
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(stateDir, { recursive: true, force: true });
  write("services/hello.js", "console.log('hello');\n");
  write("bin/run", "#!/usr/bin/env node\n", 0o700);
  write("node_modules/left-pad/index.js", "module.exports = (s) => s;\n");
  write("node_modules/left-pad/package.json", '{"name":"left-pad"}');
  write(".git/HEAD", "ref: refs/heads/main\n");
  write("reports/latest/index.html", "<html>");
  write("secret.pem", "-----BEGIN-----", 0o600);
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(outside, "passwords.txt"), "hunter2");
});

describe("the project image's context", () => {
  test("carries node_modules under deps/ and the rest under project/, without .git and reports/, after the Dockerfile", () => {
    const p = plan();
    expect(paths(p.entries)).to.deep.equal([
      "Dockerfile",
      "deps",
      "project",
      "project/bin",
      "project/bin/run",
      "deps/node_modules",
      "deps/node_modules/left-pad",
      "deps/node_modules/left-pad/index.js",
      "deps/node_modules/left-pad/package.json",
      "project/secret.pem",
      "project/services",
      "project/services/hello.js",
    ]);
    expect(p.files).to.equal(5);
    expect(p.warnings).to.deep.equal([]);
  });

  test("modes are made readable by the image's user: folders 0755, files 0644, 0755 when the owner may run them", () => {
    const modes = Object.fromEntries(plan().entries.map((e) => [e.path, "mode" in e ? e.mode : undefined]));
    expect(modes).to.deep.include({
      project: 0o755,
      "project/bin": 0o755,
      "project/bin/run": 0o755,
      "project/secret.pem": 0o644,
      "project/services/hello.js": 0o644,
    });
  });

  test(".dockerignore applies as Docker applies it, exceptions inside a folder left out included", () => {
    write(".dockerignore", "*.pem\nnode_modules\n!node_modules/left-pad/package.json\nbin\n");
    const p = plan();
    expect(paths(p.entries).filter((e) => e !== "Dockerfile")).to.deep.equal([
      "deps",
      "project",
      "project/.dockerignore",
      "deps/node_modules",
      "deps/node_modules/left-pad",
      "deps/node_modules/left-pad/package.json",
      "project/services",
      "project/services/hello.js",
    ]);
    write("package.json", "{}");
    expect(plan().warnings.join("\n")).to.contain("leaves out node_modules");
    write(".dockerignore", "services/[x");
    expect(() => plan()).to.throw(DockerignoreInvalidError, /\.dockerignore:1: "services\/\[x"/);
  });

  test("the hash is stable; it changes with a file's content, a new file, an executable bit or the machine image", () => {
    const h = plan().hash;
    expect(plan().hash).to.equal(h);
    fs.utimesSync(path.join(project, "services/hello.js"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(plan().hash, "touched, same content").to.equal(h);
    expect(plan({}, "sha256:machine2").hash).not.to.equal(h);
    write("services/hello.js", "console.log('hello, world');\n");
    const h2 = plan().hash;
    expect(h2).not.to.equal(h);
    write("services/bye.js", "");
    const h3 = plan().hash;
    expect(h3).not.to.equal(h2);
    fs.chmodSync(path.join(project, "services/bye.js"), 0o755);
    expect(plan().hash).not.to.equal(h3);
    write("reports/latest/index.html", "<html>another run</html>");
    write(".git/HEAD", "ref: refs/heads/other\n");
    fs.chmodSync(path.join(project, "services/bye.js"), 0o644);
    expect(plan().hash, "reports/ and .git/ are not in it").to.equal(h3);
  });

  test("unchanged files are not read again (digests kept in the state dir by size, mtime, ctime, inode)", () => {
    const first = plan();
    expect(first.read).to.equal(5);
    const again = plan();
    expect([again.read, again.readBytes, again.hash]).to.deep.equal([0, 0, first.hash]);
    write("services/hello.js", "console.log('changed');\n");
    const changed = plan();
    expect(changed.read).to.equal(1);
    expect(changed.hash).not.to.equal(first.hash);
    fs.rmSync(stateDir, { recursive: true });
    const justNow = { now: Date.now() - 3600_000 };
    plan(justNow);
    expect(plan(justNow).read, "files changed just now are read every time").to.equal(5);
    expect(plan({ stateDir: undefined }).read).to.equal(5);
  });

  test("symlinks inside the project stay symlinks (absolute ones made relative); those leading out are left out", () => {
    fs.symlinkSync("hello.js", path.join(project, "services/alias.js"));
    fs.symlinkSync(path.join(project, "services"), path.join(project, "svc"));
    fs.symlinkSync("missing.js", path.join(project, "services/dangling.js"));
    fs.symlinkSync(path.join(outside, "passwords.txt"), path.join(project, "passwords.txt"));
    fs.symlinkSync("../outside", path.join(project, "escape"));
    fs.symlinkSync(outside, path.join(project, "node_modules/linked"));
    const p = plan();
    const links = p.entries.filter((e) => e.type === "symlink").map((e) => [e.path, e.target]);
    expect(links).to.deep.equal([
      ["project/services/alias.js", "hello.js"],
      ["project/services/dangling.js", "missing.js"],
      ["project/svc", "services"],
    ]);
    expect(paths(p.entries).some((e) => /passwords|escape|linked/.test(e))).to.equal(false);
    expect(p.warnings).to.have.length(1);
    expect(p.warnings[0]).to.match(/^left out of the project image, not to copy files from outside the project: /);
    expect(p.warnings[0]).to.contain(`escape (a symlink to ${fs.realpathSync(outside)}, outside the project)`);
    expect(p.warnings[0]).to.contain("node_modules/linked").and.contain("passwords.txt");
  });

  test("a project reached through a symlink is the folder it leads to", () => {
    const via = path.join(tmp, "via");
    fs.rmSync(via, { force: true });
    fs.symlinkSync(project, via);
    const direct = plan();
    expect(planProjectContext(via, "sha256:machine1", options).hash).to.equal(direct.hash);
  });

  test("the run's own folders inside the project are never copied", () => {
    write("runs/r1/alpha.log", "log");
    expect(paths(plan({ exclude: [path.join(project, "runs")] }).entries).some((e) => e.includes("runs"))).to.equal(
      false,
    );
  });

  test("too large: ProjectTooLargeError naming the largest top-level paths and the setting", () => {
    write("data/big.bin", "x".repeat(5000));
    const err = (() => {
      try {
        plan({ maxBytes: 4000 });
      } catch (e) {
        return e as ProjectTooLargeError;
      }
    })();
    expect(err).to.be.instanceOf(ProjectTooLargeError);
    expect(err).to.have.property("code", "PROJECT_TOO_LARGE");
    expect(err!.largest[0]).to.deep.equal({ path: "data", bytes: 5000 });
    expect(err!.message).to.contain("EXLAB_PROJECT_MAX_MB").and.contain(".dockerignore");
  });

  test("a missing project, or a file this user cannot read, is a ProjectUnreadableError", () => {
    expect(() => planProjectContext(path.join(tmp, "nowhere"), "sha256:m", options))
      .to.throw(ProjectUnreadableError, /nowhere to copy the project into the machines' image \(ENOENT\)/)
      .with.property("code", "PROJECT_UNREADABLE");
  });

  test(
    "a file without read permission is a ProjectUnreadableError naming it",
    { skip: process.getuid?.() === 0 ? "root reads every file" : false },
    () => {
      fs.chmodSync(path.join(project, "secret.pem"), 0o000);
      expect(() => plan()).to.throw(ProjectUnreadableError, /secret\.pem to copy .* \(EACCES\)/);
    },
  );

  test("what cannot be read as a file is a ProjectUnreadableError with the system's reason", () => {
    expect(() => hashFile(project)).to.throw(ProjectUnreadableError, /\(EISDIR\)/);
  });
});
