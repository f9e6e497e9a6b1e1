import { after, describe, test } from "node:test";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { DriverPluginError, DriverRegistrationError, UnknownDriverError } from "./errors";
import { createDriver, DRIVER_NAMES, driverNameFrom, driverNames, registerDriver } from "./registry";
import type { DriverModule } from "./driver";

const root = join(__dirname, "..", "..");
const fake = join(__dirname, "fake-driver-test-kit.js");
const dir = mkdtempSync(join(tmpdir(), "exlab-registry-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `node bin/exlab.js …args` with extra env: its exit code and output. */
function exlab(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "bin", "exlab.js"), ...args],
      { cwd: root, env: { ...process.env, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Help text with its line wrapping undone. */
const oneLine = (s: string) => s.replace(/\s+/g, " ");

describe("the driver registry", () => {
  test("the built-ins are two registry lines; driverNameFrom checks a name against the registry", () => {
    expect(driverNames()).to.deep.equal(["processes", "containers"]);
    expect(DRIVER_NAMES).to.deep.equal(["processes", "containers"]);
    expect(driverNameFrom(undefined)).to.equal("processes");
    expect(driverNameFrom(" containers ")).to.equal("containers");
    expect(() => driverNameFrom("kubernetes"))
      .to.throw(UnknownDriverError, 'unknown driver "kubernetes": use one of processes, containers')
      .with.property("code", "LAB_UNKNOWN_DRIVER");
  });

  test("registerDriver adds a line (loaded on first use) and refuses a taken name or one that is no tag", () => {
    let loaded = 0;
    const module: DriverModule = {
      createDriver: () => ({ name: "inline", open: () => Promise.reject(new Error("no")) }),
      sweep: async () => ({ cleaned: [] }),
    };
    const remove = registerDriver({ name: "inline", description: "d", load: () => (loaded++, module) });
    try {
      expect(driverNameFrom("inline")).to.equal("inline");
      expect(DRIVER_NAMES).to.include("inline");
      expect(loaded).to.equal(0);
      expect(createDriver("inline").name).to.equal("inline");
      expect(loaded).to.equal(1);
      expect(() => registerDriver({ name: "inline", description: "", load: () => module })).to.throw(
        DriverRegistrationError,
        'a driver named "inline" is registered',
      );
      expect(() => registerDriver({ name: "Two Words", description: "", load: () => module })).to.throw(
        DriverRegistrationError,
        /not lower case letters/,
      );
    } finally {
      remove();
    }
    expect(driverNames()).to.deep.equal(["processes", "containers"]);
  });

  test("a driver whose module does not load says which and why", () => {
    const remove = registerDriver({
      name: "broken",
      description: "d",
      load: () => {
        throw new Error("Cannot find module 'kube-client'");
      },
    });
    try {
      expect(() => createDriver("broken"))
        .to.throw("the broken driver could not be loaded: Cannot find module 'kube-client'")
        .with.property("code", "LAB_DRIVER_LOAD_FAILED");
    } finally {
      remove();
    }
  });
});

describe("drivers plugged in with EXLAB_DRIVERS", () => {
  test("a module named there is registered: accepted by driverNameFrom, created by createDriver", () => {
    process.env.EXLAB_DRIVERS = fake;
    try {
      expect(driverNames()).to.deep.equal(["processes", "containers", "fake"]);
      expect(driverNameFrom("fake")).to.equal("fake");
      expect(createDriver("fake").name).to.equal("fake");
      expect(() => driverNameFrom("nope")).to.throw('unknown driver "nope": use one of processes, containers, fake');
    } finally {
      delete process.env.EXLAB_DRIVERS;
    }
  });

  test("a module that is not a driver is refused, each time it is named, saying what it lacks", () => {
    const half = join(dir, "half.js");
    writeFileSync(half, 'exports.name = "half";\n');
    process.env.EXLAB_DRIVERS = half;
    try {
      for (let i = 0; i < 2; i++)
        expect(() => driverNames())
          .to.throw(
            DriverPluginError,
            `EXLAB_DRIVERS names "${half}", but it does not export description, createDriver, sweep`,
          )
          .with.property("code", "LAB_DRIVER_PLUGIN");
      process.env.EXLAB_DRIVERS = join(dir, "absent.js");
      expect(() => driverNames()).to.throw(DriverPluginError, /but it could not be loaded: Cannot find module/);
    } finally {
      delete process.env.EXLAB_DRIVERS;
    }
    expect(driverNames()).to.not.include("half");
  });
});

describe("the CLI lists the registered drivers", { timeout: 60_000 }, () => {
  test("`exlab run --help` and `exlab up --help` list them for --driver, with what each does", async () => {
    for (const command of ["run", "up"]) {
      const { code, stdout } = await exlab([command, "--help"], { EXLAB_DRIVERS: fake });
      expect(code, command).to.equal(0);
      expect(oneLine(stdout)).to.include(
        "--driver <name> processes | containers | fake (default: $LAB_DRIVER or processes)",
      );
      expect(stdout).to.include("  fake        machines that are never started (a test driver)\n");
      expect(stdout).to.include("  processes   one supervisor process per machine, on a loopback address 127.X.0.N\n");
    }
  });

  test("`exlab clean --help` names the drivers that sweep; without EXLAB_DRIVERS only the built-ins", async () => {
    const plugged = await exlab(["clean", "--help"], { EXLAB_DRIVERS: fake });
    expect(oneLine(plugged.stdout)).to.include("(each driver sweeps its own: processes, containers, fake)");
    const plain = await exlab(["clean", "--help"], { EXLAB_DRIVERS: "" });
    expect(oneLine(plain.stdout)).to.include("(each driver sweeps its own: processes, containers)");
  });

  test("a module of EXLAB_DRIVERS that does not load stops every command with one line saying why", async () => {
    const { code, stdout, stderr } = await exlab(["validate", "x.yaml"], { EXLAB_DRIVERS: join(dir, "absent.js") });
    expect(code).to.equal(1);
    expect(stdout).to.equal("");
    expect(stderr).to.match(
      /^exlab: EXLAB_DRIVERS names ".*absent\.js", but it could not be loaded: Cannot find module/,
    );
  });
});
