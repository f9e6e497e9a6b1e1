import { after, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { silentLogger } from "../../runs";
import type { DriverRunOptions } from "../driver";
import type { Engine } from "./engine";
import { leasedImages } from "./image-leases";
import { IMAGE_REPOSITORIES } from "./image-prune";
import { projectMaxBytes, RunImages } from "./run-images";

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-run-images-"));
after(() => fs.rmSync(stateDir, { recursive: true, force: true }));

/** An engine that has every image asked about and no toxiproxy image. */
const engine = {
  docker: {
    getImage: (ref: string) => ({ inspect: async () => ({ Id: `sha256:${ref}` }) }),
    listImages: async () => [],
  },
} as unknown as Engine;

const run = (env: NodeJS.ProcessEnv = {}): DriverRunOptions => ({
  runId: "r1",
  runDir: stateDir,
  machines: [],
  logger: silentLogger,
  env,
  projectDir: stateDir,
  track: () => {},
});

describe("a run's images", () => {
  test("the project image is made once per run however many machines ask, FROM the run's machine image, and leased", async () => {
    const asked: string[] = [];
    const images = new RunImages({
      engine,
      run: run(),
      stateDir,
      keep: Infinity,
      repositories: IMAGE_REPOSITORIES,
      makers: {
        machineImage: async () => "exlab-machine:m1",
        faultProxyImage: async () => "exlab-faultproxy:p1",
        projectImage: async (_e, machine) => {
          asked.push(machine);
          await new Promise((r) => setTimeout(r, 20));
          return "exlab-project:j1";
        },
      },
    });
    const opened = await images.open();
    expect([opened.machineImage, opened.proxyImage.ref]).to.deep.equal(["exlab-machine:m1", "exlab-faultproxy:p1"]);
    const refs = await Promise.all([images.project(), images.project(), images.project()]);
    expect(refs).to.deep.equal(["exlab-project:j1", "exlab-project:j1", "exlab-project:j1"]);
    expect(asked).to.deep.equal(["exlab-machine:m1"]);
    expect([...leasedImages(stateDir)].sort()).to.deep.equal([
      "exlab-faultproxy:p1",
      "exlab-machine:m1",
      "exlab-project:j1",
    ]);
  });

  test("EXLAB_PROJECT_MAX_MB sets the size limit in megabytes; a value that is no number is warned about", () => {
    const warned: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => warned.push(m) };
    expect(projectMaxBytes({ env: {}, logger })).to.equal(1024e6);
    expect(projectMaxBytes({ env: { EXLAB_PROJECT_MAX_MB: " 50 " }, logger })).to.equal(50e6);
    expect(projectMaxBytes({ env: { EXLAB_PROJECT_MAX_MB: "lots" }, logger })).to.equal(1024e6);
    expect(warned).to.deep.equal(['EXLAB_PROJECT_MAX_MB="lots" is not a number of megabytes; using 1024']);
  });
});
