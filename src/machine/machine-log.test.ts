import { describe, test } from "node:test";
import { expect } from "chai";
import { SeqLog } from "./machine-log";
import { parseMachineSpec, parseProcessSpec } from "./schema";
import { SpecError } from "./errors";

describe("SeqLog paging", () => {
  test("pages with since/limit, reports what was dropped from memory", () => {
    const log = new SeqLog<{ n: number }>(10);
    for (let i = 1; i <= 25; i++) log.append((n) => ({ n }));
    const page = log.since(0, 3);
    expect(page.truncated).to.equal(true);
    const first = page.entries[0].n;
    expect(first).to.be.within(2, 16);
    expect(page.entries.map((e) => e.n)).to.deep.equal([first, first + 1, first + 2]);
    expect(page.next).to.equal(page.entries[2].n);
    expect(log.since(20)).to.deep.include({ next: 25, latest: 25, truncated: false });
    expect(log.since(20).entries.map((e) => e.n)).to.deep.equal([21, 22, 23, 24, 25]);
    expect(log.since(25)).to.deep.equal({ entries: [], next: 25, latest: 25, truncated: false });
  });

  test("waitBeyond resolves on the next append, or at its deadline", async () => {
    const log = new SeqLog<{ n: number }>();
    const woke = log.waitBeyond(0, 10_000).then(() => log.latest);
    log.append((n) => ({ n }));
    expect(await woke).to.equal(1);
    const t0 = Date.now();
    await log.waitBeyond(1, 20);
    expect(Date.now() - t0).to.be.at.least(15);
  });
});

describe("spec parsing", () => {
  const spec = () => ({
    machine: "alpha",
    bindHost: "127.0.0.1",
    controlPort: 0,
    runDir: "/tmp/x",
    processes: [
      {
        address: "alpha/p",
        name: "p",
        kind: "process",
        nodeName: "alpha/p",
        endpoints: [{ group: "", role: "client" }],
        services: [{ name: "s" }],
      },
    ],
  });

  test('fills defaults: timing {}, connect [], audience "*", groups []', () => {
    const s = parseMachineSpec(spec());
    expect(s.timing).to.deep.equal({});
    expect(s.processes[0].endpoints[0].connect).to.deep.equal([]);
    expect(s.processes[0].services[0]).to.deep.equal({ name: "s", audience: "*", groups: [] });
  });

  test("lists every problem at once, with its path", () => {
    const bad = spec() as Record<string, unknown>;
    bad.colour = "red";
    bad.controlPort = 70000;
    (bad.processes as unknown[]).push({ ...spec().processes[0] });
    let err: unknown;
    try {
      parseMachineSpec(bad);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(SpecError);
    expect((err as SpecError).problems).to.have.members([
      '(root): unknown key "colour"',
      "/controlPort must be <= 65535",
    ]);
    const dup = spec();
    dup.processes.push({ ...dup.processes[0] });
    expect(() => parseMachineSpec(dup)).to.throw(SpecError, 'process "p" is declared twice');
    expect(() => parseProcessSpec({ ...spec().processes[0], address: "beta/p" }, "alpha")).to.throw(
      SpecError,
      'make "alpha/p"',
    );
  });
});
