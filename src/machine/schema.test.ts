import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { expect } from "chai";
import { compileValidators, loadValidators } from "./schema";
import { SCHEMAS, type SchemaName } from "./schemas";

/** Inputs per schema: valid ones (defaults get filled) and invalid ones (one or several problems). */
const CASES: Record<SchemaName, unknown[]> = {
  machine: [
    { machine: "a", bindHost: "127.0.0.1", controlPort: 0, runDir: "/r", processes: [] },
    {
      machine: "a/b",
      bindHost: "",
      controlPort: 70000,
      runDir: "/r",
      processes: [{ address: "a", kind: "x", extra: 1 }],
      timing: { jitter: 2 },
    },
    {
      machine: "a",
      bindHost: "h",
      controlPort: 1,
      runDir: "/r",
      processes: [
        {
          address: "a/p",
          name: "p",
          kind: "process",
          nodeName: "n",
          endpoints: [{ group: "", role: "client", connect: [{ host: "h", port: 1 }] }],
        },
      ],
    },
  ],
  process: [
    {
      address: "a/p",
      name: "p",
      kind: "server",
      nodeName: "n",
      endpoints: [{ group: "", role: "server", listen: 1 }],
      services: [{ name: "s" }],
    },
    { address: "a/p", name: "p q", kind: "server", nodeName: "", endpoints: [{ role: "nobody" }] },
  ],
  offer: [{ name: "s", audience: "" }, { name: "", groups: [""] }, {}],
  group: [{ group: "g" }, { group: 1 }],
  call: [{ service: "s", args: [1] }, { agent: "x", timeoutMs: -1 }, { method: "m" }, { service: "s", agent: "a" }],
  publish: [
    { service: "s", subject: "t", content: null, lifetime: -1 },
    { service: "s", lifetime: 1.5 },
  ],
  subscribe: [{ agent: "a", pattern: "*" }, { pattern: "" }],
  workload: [
    { id: "w1", kind: "calls", service: "billing", everyMs: 20 },
    { id: "w2", kind: "calls", service: "billing", inFlight: 8, method: "slow", args: { ms: 5 } },
    { id: "w3", kind: "publish", service: "billing", subject: "price.eur", everyMs: 10, lifetime: -1 },
    { id: "w4", kind: "calls", service: "billing" },
    { id: "w5", kind: "publish", service: "billing", subject: "price.eur" },
    { id: "", kind: "jobs", service: "billing", everyMs: -1 },
  ],
};

describe("machine schemas", () => {
  test("the build's precompiled validators are in use and accept, default and reject exactly as Ajv compiled at run time", () => {
    const built = loadValidators();
    const compiled = compileValidators();
    expect(built, "npm run build generates dist/machine/validators.js").to.not.equal(undefined);
    expect(Object.keys(built).sort()).to.deep.equal(Object.keys(SCHEMAS).sort());
    for (const name of Object.keys(SCHEMAS) as SchemaName[]) {
      for (const input of CASES[name]) {
        const [a, b] = [structuredClone(input), structuredClone(input)];
        const okBuilt = built[name](a);
        const okCompiled = compiled[name](b);
        expect(okBuilt, `${name} ${JSON.stringify(input)}`).to.equal(okCompiled);
        expect(a, `${name}: defaults filled alike`).to.deep.equal(b);
        expect(built[name].errors ?? null, `${name}: same errors`).to.deep.equal(compiled[name].errors ?? null);
      }
      expect(
        CASES[name].some((input) => built[name](structuredClone(input))),
        `${name} has a valid case`,
      ).to.equal(true);
      expect(
        CASES[name].some((input) => !built[name](structuredClone(input))),
        `${name} has an invalid case`,
      ).to.equal(true);
    }
  });

  test("a process running from the build validates without loading Ajv's compiler", () => {
    const script = `const s = require(${JSON.stringify(join(__dirname, "schema"))});
      s.parseMachineSpec({ machine: "a", bindHost: "h", controlPort: 0, runDir: "/r", processes: [] });
      console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules[\\/]ajv[\\/]dist[\\/](core|compile)/.test(f))));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as string[];
    expect(loaded, "ajv compiler modules loaded by the supervisor's validation").to.deep.equal([]);
  });
});
