import { after, before, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { BaseImage, ensureBaseImage, PROJECT_ROOT } from "./base-image";
import { removeRun } from "./cleanup";
import { PROJECT_DIR_IN_IMAGE } from "./context";
import { fakeProject, imageEventsSince, removeImages, runToExit, testId } from "./docker-test-kit";
import { Engine, getEngine } from "./engine";
import { ensureMachineImage } from "./images";
import { LABEL_BASE, LABEL_KIND } from "./labels";
import { ensureProjectImage, type ProjectImageOptions } from "./project-image";

describe("a project image: the user's project on top of the machine image", { timeout: 180_000 }, () => {
  const lab = fakeProject(PROJECT_ROOT); // a small machine image whose /app/package.json is this package's
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-project-image-"));
  const projectDir = path.join(tmp, "project");
  const id = testId("proj");
  const machineRepo = `exlab-test-machine-${id}`;
  const projectRepo = `exlab-test-project-${id}`;
  const built: string[] = [];
  const lines: string[] = [];
  const started = Date.now();
  let engine: Engine;
  let base: BaseImage;
  let options: ProjectImageOptions;

  before(async () => {
    engine = await getEngine();
    base = await ensureBaseImage();
    const machine = await ensureMachineImage({ projectRoot: lab.root, repository: machineRepo, base });
    built.push(machine.ref);
    // No package.json: `exchange-lab` must come from /app/package.json (node's package self-reference).
    fs.mkdirSync(path.join(projectDir, "services"), { recursive: true });
    fs.writeFileSync(
      path.join(projectDir, "services", "hello.js"),
      `const greet = require("greeting");
      console.log(JSON.stringify({ uid: process.getuid(), resolved: require.resolve("exchange-lab/package.json"), greeting: greet() }));\n`,
    );
    fs.mkdirSync(path.join(projectDir, "node_modules", "greeting"), { recursive: true });
    fs.writeFileSync(path.join(projectDir, "node_modules", "greeting", "index.js"), `module.exports = () => "hi";\n`);
    fs.chmodSync(path.join(projectDir, "services", "hello.js"), 0o600);
    fs.writeFileSync(path.join(tmp, "outside.txt"), "host file");
    fs.symlinkSync(path.join(tmp, "outside.txt"), path.join(projectDir, "outside.txt"));
    options = {
      engine,
      projectDir,
      machineImage: machine.ref,
      repository: projectRepo,
      stateDir: path.join(tmp, "state"),
      onProgress: (line) => lines.push(line),
    };
  });
  after(async () => {
    if (engine) {
      await removeRun(id);
      await removeImages(engine, built.reverse());
    }
    lab.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("is built FROM the machine image without a pull, and carries the project readable by uid 1000", async () => {
    const image = await ensureProjectImage(options);
    built.push(image.ref);
    expect(image.source).to.equal("built");
    expect(image.ref).to.match(new RegExp(`^${projectRepo}:[0-9a-f]{16}$`));
    const labels = (await engine.docker.getImage(image.ref).inspect()).Config.Labels;
    expect(labels).to.deep.include({ [LABEL_KIND]: "project", [LABEL_BASE]: options.machineImage });
    expect(lines.some((l) => l.startsWith(`Building project image ${image.ref} (2 files`))).to.equal(true);
    expect(lines.some((l) => /outside\.txt \(a symlink to .*outside\.txt, outside the project\)/.test(l))).to.equal(
      true,
    );

    const hello = `${PROJECT_DIR_IN_IMAGE}/services/hello.js`;
    const ran = await runToExit(engine, image.ref, [hello], { runId: id, entrypoint: ["node"] });
    expect(ran.code, ran.output).to.equal(0);
    expect(JSON.parse(ran.output)).to.deep.equal({ uid: 1000, resolved: "/app/package.json", greeting: "hi" });

    const look = `const fs = require("fs"); const s = fs.statSync(${JSON.stringify(hello)});
      console.log(JSON.stringify({ owner: [s.uid, s.gid], mode: (s.mode & 0o777).toString(8),
        outside: fs.existsSync(${JSON.stringify(`${PROJECT_DIR_IN_IMAGE}/outside.txt`)}) }));`;
    const seen = await runToExit(engine, image.ref, ["-e", look], { runId: id, entrypoint: ["node"] });
    expect(seen.code, seen.output).to.equal(0);
    expect(JSON.parse(seen.output)).to.deep.equal({ owner: [1000, 1000], mode: "644", outside: false });

    const events = await imageEventsSince(engine, started);
    expect(events.filter((e) => e.action === "pull")).to.deep.equal([]);
  });

  test("an unchanged project is found again without a build; a changed one gets a new tag", async () => {
    const again = await ensureProjectImage(options);
    expect(again.source).to.equal("local");
    expect(again.ref).to.equal(built[1]);
    fs.writeFileSync(path.join(projectDir, "services", "bye.js"), "console.log('bye');\n");
    lines.length = 0;
    const changed = await ensureProjectImage(options);
    built.push(changed.ref);
    expect(changed.source).to.equal("built");
    expect(changed.ref).not.to.equal(again.ref);
    const deps = lines.findIndex((l) => l.includes("COPY --chown=1000:1000 deps"));
    expect(lines.slice(deps + 1, deps + 3).join("\n"), "the packages' layer is reused").to.contain("Using cache");
  });
});
