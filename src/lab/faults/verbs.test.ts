import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import { startFaultProxy, type FaultProxy } from "../../faultproxy";
import type { LabEvent } from "../events";
import { FaultBook } from "./fault-book";
import type { FaultVerb } from "./fault-verb";
import { FaultInjector } from "./injector";
import { LabFaults } from "./lab-faults";
import { BOTH, linkBetween, proxyNames, sideOf, amountOf, toxic, toxicOps, type LinkSet, type ProxyLink } from "./plan";
import {
  faultArgs,
  faultArgsFromWords,
  faultDoneMessage,
  faultStepPhrases,
  faultSyntax,
  faultVerbs,
  planFault,
  registerFaultVerb,
} from "./registry";

const proxy = (fromMachine: string, to: string): ProxyLink => ({
  name: `${fromMachine}--${to.replace("/", "_")}`,
  fromMachine,
  to,
  toMachine: to.split("/")[0],
  group: "",
  port: 11111,
});

// alpha dials beta and gamma; beta dials gamma.
const links: LinkSet = {
  proxies: [proxy("alpha", "beta/exchange"), proxy("alpha", "gamma/exchange"), proxy("beta", "gamma/exchange")],
};

/** A throwaway verb: the link starts slowly (a latency toxic on both streams). One entry, one phrase. */
const slowStart: FaultVerb = {
  name: "slow-start",
  args: [
    { name: "a", kind: "node" },
    { name: "b", kind: "node" },
    { name: "delayMs", kind: "duration" },
  ],
  plan: (l, f) => {
    const { all } = linkBetween(l, sideOf(f, "a"), sideOf(f, "b"));
    const ops = toxicOps(all, BOTH, toxic("slow-start", "latency", { latency: amountOf(f, "delayMs"), jitter: 0 }));
    return { proxies: proxyNames(all), ops };
  },
  detail: ({ delayMs }) => `${delayMs} ms to start`,
  steps: ["the link between {string} and {string} starts slowly by {duration}"],
};
registerFaultVerb(slowStart);

describe("the fault table", () => {
  test("has one spelling per verb, and the exact Gherkin phrases of the network steps", () => {
    expect(faultVerbs().map((v) => v.name)).to.deep.equal([
      "cut",
      "blackhole",
      "heal",
      "isolate",
      "one-way",
      "latency",
      "bandwidth",
      "slow-start",
    ]);
    expect(faultStepPhrases()).to.deep.equal([
      { phrase: "the link between {string} and {string} is cut", verb: "cut", arity: 2 },
      { phrase: "the link between {string} and {string} is blackholed", verb: "blackhole", arity: 2 },
      { phrase: "the link between {string} and {string} heals", verb: "heal", arity: 2 },
      { phrase: "the network heals", verb: "heal", arity: 0 },
      { phrase: "{string} is isolated from the network", verb: "isolate", arity: 1 },
      { phrase: "{string} can no longer reach {string}", verb: "one-way", arity: 2 },
      { phrase: "the link between {string} and {string} gets {duration} of latency", verb: "latency", arity: 3 },
      {
        phrase: "the link between {string} and {string} gets {duration} of latency with {duration} of jitter",
        verb: "latency",
        arity: 4,
      },
      { phrase: "the link between {string} and {string} is limited to {int} KB\\/s", verb: "bandwidth", arity: 3 },
      { phrase: "the link between {string} and {string} starts slowly by {duration}", verb: "slow-start", arity: 3 },
    ]);
  });

  test("a registered verb is planned like the built-in ones, its toxics named after it", () => {
    const plan = planFault(links, {
      kind: "slow-start",
      a: { machine: "gamma" },
      b: { machine: "alpha" },
      delayMs: 300,
    });
    expect(plan.proxies).to.deep.equal(["alpha--gamma_exchange"]);
    expect(plan.ops).to.deep.equal(
      (["upstream", "downstream"] as const).map((stream) => ({
        op: "addToxic",
        proxy: "alpha--gamma_exchange",
        toxic: { name: `exlab_slow-start_${stream}`, type: "latency", stream, attributes: { latency: 300, jitter: 0 } },
      })),
    );
    expect(() => planFault(links, { kind: "no-such-verb" })).to.throw(/unknown fault verb "no-such-verb".*slow-start/);
  });

  test("the console's words and syntax come from the verb's arguments", () => {
    expect(faultSyntax(slowStart)).to.equal("slow-start <a> <b> <delayMs>");
    expect(faultArgsFromWords(slowStart, ["alpha", "beta", "1.5s"])).to.deep.equal(["alpha", "beta", 1500]);
    expect(() => faultArgsFromWords(slowStart, ["alpha", "beta"])).to.throw("usage: slow-start <a> <b> <delayMs>");
    expect(() => faultArgsFromWords(slowStart, ["alpha", "beta", "soon"])).to.throw(/slow-start: .*soon/);
    const bandwidth = faultVerbs().find((v) => v.name === "bandwidth")!;
    expect(() => faultArgsFromWords(bandwidth, ["alpha", "beta", "-3"])).to.throw(/not a non-negative number/);
    const latency = faultVerbs().find((v) => v.name === "latency")!;
    expect(faultArgs(latency, ["alpha", "beta", 200])).to.deep.equal({
      a: "alpha",
      b: "beta",
      latencyMs: 200,
      jitterMs: 0,
    });
    expect(faultDoneMessage(latency, faultArgs(latency, ["a", "b", 200, 20]))).to.equal(
      "link a ⇄ b: 200 ms latency ± 20 ms",
    );
    expect(faultDoneMessage(slowStart, faultArgs(slowStart, ["a", "b", 200]))).to.equal(
      "slow-start a ⇄ b (200 ms to start)",
    );
    expect(() => faultArgs(slowStart, ["alpha", 3, 200])).to.throw(/b must be a machine or process name/);
  });

  test("a malformed verb, or one whose name or phrase is taken, is refused", () => {
    const base = { args: [], plan: () => ({ proxies: [], ops: [] }) };
    expect(() => registerFaultVerb({ ...base, name: "slow-start" })).to.throw(/already registered/);
    expect(() => registerFaultVerb({ ...base, name: "oneWay" })).to.throw(/lower-case words joined by "-"/);
    expect(() => registerFaultVerb({ ...base, name: "mute", steps: ["the network heals"] })).to.throw(
      /already belongs to another verb/,
    );
    expect(() => registerFaultVerb({ ...base, name: "mute", steps: ["{string} goes quiet"] })).to.throw(
      /has 1 parameter\(s\); it needs 0 to 0/,
    );
    expect(() =>
      registerFaultVerb({
        ...base,
        name: "mute",
        args: [
          { name: "a", kind: "node", optional: true },
          { name: "b", kind: "node" },
        ],
      }),
    ).to.throw(/only its last arguments may be optional/);
    expect(faultVerbs().map((v) => v.name)).not.to.include("mute");
  });
});

describe("LabFaults on a fault proxy", () => {
  let server: FaultProxy;
  let injector: FaultInjector;
  const events: LabEvent[] = [];
  let faults: LabFaults;
  const toxicsOf = async (name: string) => {
    const r = await fetch(`${server.url}/proxies/t-${name}/toxics`);
    return ((await r.json()) as { name: string; attributes: Record<string, number> }[]).map(
      (t) => `${t.name}:${JSON.stringify(t.attributes)}`,
    );
  };

  before(async () => {
    server = await startFaultProxy({ port: 0 });
    injector = new FaultInjector(server.url, "t-", links);
    await injector.createProxies(
      links.proxies.map((p) => ({ name: p.name, listen: "127.0.0.1:0", upstream: "127.0.0.1:9" })),
    );
    let now = 1000;
    faults = new LabFaults(
      injector,
      new FaultBook(),
      (name) => ({ machine: name }),
      (e) => events.push(e),
      () => now++,
    );
  });
  after(async () => {
    await injector.removeAll();
    await server.close();
  });

  test("apply(verb, args) runs a registered verb's plan, records the table's description; heal ends it", async () => {
    const id = await faults.apply("slow-start", ["gamma", "alpha", 250]);
    expect(await toxicsOf("alpha--gamma_exchange")).to.have.members([
      'exlab_slow-start_upstream:{"latency":250,"jitter":0}',
      'exlab_slow-start_downstream:{"latency":250,"jitter":0}',
    ]);
    expect(await toxicsOf("alpha--beta_exchange")).to.deep.equal([]);
    expect(faults.current()).to.deep.equal([
      { faultId: id, fault: { type: "slow-start", targets: ["gamma", "alpha"], detail: "250 ms to start" } },
    ]);
    await faults.healAll();
    expect(await toxicsOf("alpha--gamma_exchange")).to.deep.equal([]);
    expect(events.map((e) => e.type === "fault" && [e.action, e.faultId, e.fault.type, e.proxies])).to.deep.equal([
      ["applied", id, "slow-start", ["alpha--gamma_exchange"]],
      ["healed", id, "slow-start", ["alpha--beta_exchange", "alpha--gamma_exchange", "beta--gamma_exchange"]],
    ]);
  });

  test("the typed methods are the table's verbs, recorded as before", async () => {
    events.length = 0;
    await faults.cut("alpha", "beta");
    await faults.oneWay("gamma", "beta");
    await faults.latency("alpha", "gamma", 200, 20);
    await faults.bandwidth("alpha", "gamma", 8);
    await faults.isolate("gamma");
    await faults.blackhole("alpha", "beta");
    expect(await toxicsOf("beta--gamma_exchange")).to.deep.equal(['exlab_one-way_downstream:{"timeout":0}']);
    expect(faults.current().map((f) => f.fault)).to.deep.equal([
      { type: "cut", targets: ["alpha", "beta"] },
      { type: "one-way", targets: ["gamma", "beta"] },
      { type: "latency", targets: ["alpha", "gamma"], detail: "200 ms ± 20 ms" },
      { type: "bandwidth", targets: ["alpha", "gamma"], detail: "8 KB/s" },
      { type: "isolate", targets: ["gamma"] },
      { type: "blackhole", targets: ["alpha", "beta"] },
    ]);
    await faults.heal("alpha", "beta");
    expect(faults.current().map((f) => f.fault.type)).to.deep.equal(["one-way", "latency", "bandwidth", "isolate"]);
    expect(await faults.apply("heal")).to.equal(undefined);
    expect(faults.current()).to.deep.equal([]);
    await expectRejection(faults.apply("cut", ["alpha"]), /usage: cut <a> <b>/);
    await expectRejection(faults.apply("oneWay", ["alpha", "beta"]), /unknown fault verb "oneWay"/);
  });
});

async function expectRejection(p: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "it should have been refused").to.be.instanceOf(Error);
  expect((err as Error).message).to.match(message);
}
