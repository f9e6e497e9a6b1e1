import { describe, test } from "node:test";
import { expect } from "chai";
import { proxiesOf, toxicName, type LinkSet, type ProxyLink } from "./plan";
import { planFault } from "./registry";

const proxy = (fromMachine: string, to: string, port = 11111): ProxyLink => ({
  name: `${fromMachine}--${to.replace("/", "_")}`,
  fromMachine,
  to,
  toMachine: to.split("/")[0],
  group: "",
  port,
});

// alpha dials beta and gamma; beta dials gamma; alpha/store dials beta/frontend (a bridge's server endpoint).
const links: LinkSet = {
  proxies: [
    proxy("alpha", "beta/exchange"),
    proxy("alpha", "gamma/exchange"),
    proxy("beta", "gamma/exchange"),
    proxy("alpha", "beta/frontend", 12000),
  ],
  dials: [
    { from: "alpha/exchange", to: "beta/exchange", proxy: "alpha--beta_exchange" },
    { from: "alpha/exchange", to: "gamma/exchange", proxy: "alpha--gamma_exchange" },
    { from: "beta/exchange", to: "gamma/exchange", proxy: "beta--gamma_exchange" },
    { from: "alpha/store", to: "beta/frontend", proxy: "alpha--beta_frontend" },
  ],
};

describe("fault planning", () => {
  test("cut disables the proxies of both directions between two machines", () => {
    const plan = planFault(links, { kind: "cut", a: { machine: "beta" }, b: { machine: "alpha" } });
    expect(plan.ops).to.deep.equal([
      { op: "disable", proxy: "alpha--beta_exchange" },
      { op: "disable", proxy: "alpha--beta_frontend" },
    ]);
  });

  test("a link between two processes only touches the proxies their connection uses", () => {
    const plan = planFault(links, {
      kind: "cut",
      a: { machine: "alpha", process: "alpha/store" },
      b: { machine: "beta", process: "beta/frontend" },
    });
    expect(plan.proxies).to.deep.equal(["alpha--beta_frontend"]);
  });

  test("blackhole puts a timeout-0 toxic on both streams of every proxy of the link", () => {
    const plan = planFault(links, { kind: "blackhole", a: { machine: "beta" }, b: { machine: "gamma" } });
    expect(plan.ops).to.deep.equal([
      {
        op: "addToxic",
        proxy: "beta--gamma_exchange",
        toxic: {
          name: toxicName("blackhole", "upstream"),
          type: "timeout",
          stream: "upstream",
          attributes: { timeout: 0 },
        },
      },
      {
        op: "addToxic",
        proxy: "beta--gamma_exchange",
        toxic: {
          name: toxicName("blackhole", "downstream"),
          type: "timeout",
          stream: "downstream",
          attributes: { timeout: 0 },
        },
      },
    ]);
  });

  test("one-way drops only the bytes of the side that can no longer reach the other", () => {
    // gamma cannot reach alpha: alpha dials gamma, so gamma's bytes travel downstream of alpha→gamma.
    const g2a = planFault(links, { kind: "one-way", from: { machine: "gamma" }, to: { machine: "alpha" } });
    expect(g2a.ops.map((o) => o.op === "addToxic" && `${o.proxy}:${o.toxic.stream}`)).to.deep.equal([
      "alpha--gamma_exchange:downstream",
    ]);
    // alpha cannot reach gamma: alpha's bytes go upstream of its own proxy.
    const a2g = planFault(links, { kind: "one-way", from: { machine: "alpha" }, to: { machine: "gamma" } });
    expect(a2g.ops.map((o) => o.op === "addToxic" && `${o.proxy}:${o.toxic.stream}`)).to.deep.equal([
      "alpha--gamma_exchange:upstream",
    ]);
  });

  test("isolate disables every proxy into and out of a machine, and nothing else", () => {
    const plan = planFault(links, { kind: "isolate", node: { machine: "gamma" } });
    expect(plan.ops).to.deep.equal([
      { op: "disable", proxy: "alpha--gamma_exchange" },
      { op: "disable", proxy: "beta--gamma_exchange" },
    ]);
    expect(proxiesOf(links, { machine: "beta", process: "beta/frontend" }).map((p) => p.name)).to.deep.equal([
      "alpha--beta_frontend",
    ]);
  });

  test("latency and bandwidth act on both streams with integer attributes", () => {
    const lat = planFault(links, {
      kind: "latency",
      a: { machine: "alpha" },
      b: { machine: "gamma" },
      latencyMs: 200,
      jitterMs: 20.4,
    });
    expect(lat.ops).to.have.length(2);
    expect(
      lat.ops.every((o) => o.op === "addToxic" && o.toxic.type === "latency" && o.toxic.attributes.jitter === 20),
    ).to.equal(true);
    const bw = planFault(links, { kind: "bandwidth", a: { machine: "alpha" }, b: { machine: "gamma" }, rateKBps: 8 });
    expect(bw.ops.map((o) => o.op === "addToxic" && o.toxic.attributes.rate)).to.deep.equal([8, 8]);
  });

  test("heal clears toxics and re-enables the link's proxies; heal-all touches every proxy", () => {
    const heal = planFault(links, { kind: "heal", a: { machine: "alpha" }, b: { machine: "gamma" } });
    expect(heal.ops).to.deep.equal([
      { op: "clearToxics", proxy: "alpha--gamma_exchange" },
      { op: "enable", proxy: "alpha--gamma_exchange" },
    ]);
    expect(planFault(links, { kind: "heal" }).ops).to.have.length(8);
  });

  test("a link that no proxy carries is refused with the proxied links listed", () => {
    expect(() =>
      planFault(links, { kind: "cut", a: { machine: "alpha", process: "alpha/store" }, b: { machine: "alpha" } }),
    ).to.throw(/no cross-machine link between "alpha\/store" and "alpha".*alpha→beta\/exchange/);
  });
});
