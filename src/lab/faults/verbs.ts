import { amount, duration, node, type FaultVerb } from "./fault-verb";
import {
  BOTH,
  amountOf,
  disableOps,
  healOps,
  linkBetween,
  nameOf,
  proxiesOf,
  proxyNames,
  sideOf,
  toxic,
  toxicOps,
  type FaultPlan,
  type ProxyLink,
} from "./plan";

const plan = (proxies: ProxyLink[], ops: FaultPlan["ops"]): FaultPlan => ({ proxies: proxyNames(proxies), ops });
const link = (a: unknown, b: unknown) => `link ${a} ⇄ ${b}`;

/**
 * The fault table: every network fault the lab knows, with its arguments, its plan, its description and how the
 * console and the Gherkin steps say it. A new verb is one more entry (or `registerFaultVerb` from outside). Toxics
 * are named after their verb (`f.kind`), so re-applying a fault replaces its toxics.
 */
export const FAULT_VERBS: readonly FaultVerb[] = [
  {
    name: "cut",
    args: [node("a"), node("b")],
    plan: (links, f) => {
      const { all } = linkBetween(links, sideOf(f, "a"), sideOf(f, "b"));
      return plan(all, disableOps(all));
    },
    console: { done: ({ a, b }) => `${link(a, b)} cut` },
    steps: ["the link between {string} and {string} is cut"],
  },
  {
    name: "blackhole",
    args: [node("a"), node("b")],
    plan: (links, f) => {
      const { all } = linkBetween(links, sideOf(f, "a"), sideOf(f, "b"));
      return plan(all, toxicOps(all, BOTH, toxic(f.kind, "timeout", { timeout: 0 })));
    },
    console: { done: ({ a, b }) => `${link(a, b)} blackholed` },
    steps: ["the link between {string} and {string} is blackholed"],
  },
  {
    name: "heal",
    args: [node("a", true), node("b", true)],
    heals: true,
    plan: (links, f) => {
      if (f.a === undefined && f.b === undefined) return plan([...links.proxies], healOps([...links.proxies]));
      const { all } = linkBetween(links, sideOf(f, "a"), sideOf(f, "b"));
      return plan(all, healOps(all));
    },
    console: {
      syntax: "heal [<a> <b>]",
      note: "(no names: everything)",
      done: ({ a, b }) => (a === undefined ? "the network healed" : `${link(a, b)} healed`),
    },
    steps: ["the link between {string} and {string} heals", "the network heals"],
  },
  {
    name: "isolate",
    args: [node("node")],
    plan: (links, f) => {
      const all = proxiesOf(links, sideOf(f, "node"));
      if (all.length === 0) throw new Error(`"${nameOf(sideOf(f, "node"))}" has no cross-machine link to isolate`);
      return plan(all, disableOps(all));
    },
    console: { syntax: "isolate <name>", done: ({ node }) => `${node} isolated` },
    steps: ["{string} is isolated from the network"],
  },
  {
    // `from` can no longer reach `to`: only `from`'s bytes are dropped.
    name: "one-way",
    args: [node("from"), node("to")],
    plan: (links, f) => {
      const { aToB, bToA, all } = linkBetween(links, sideOf(f, "from"), sideOf(f, "to"));
      const drop = toxic(f.kind, "timeout", { timeout: 0 });
      return plan(all, [...toxicOps(aToB, ["upstream"], drop), ...toxicOps(bToA, ["downstream"], drop)]);
    },
    console: { done: ({ from, to }) => `${from} can no longer reach ${to}` },
    steps: ["{string} can no longer reach {string}"],
  },
  {
    name: "latency",
    args: [node("a"), node("b"), duration("latencyMs"), duration("jitterMs", 0)],
    plan: (links, f) => {
      const { all } = linkBetween(links, sideOf(f, "a"), sideOf(f, "b"));
      const attributes = {
        latency: Math.round(amountOf(f, "latencyMs")),
        jitter: Math.round(amountOf(f, "jitterMs", 0)),
      };
      return plan(all, toxicOps(all, BOTH, toxic(f.kind, "latency", attributes)));
    },
    detail: ({ latencyMs, jitterMs }) => (jitterMs ? `${latencyMs} ms ± ${jitterMs} ms` : `${latencyMs} ms`),
    console: {
      syntax: "latency <a> <b> <duration> [<jitter>]",
      done: ({ a, b, latencyMs, jitterMs }) =>
        `${link(a, b)}: ${latencyMs} ms latency${jitterMs ? ` ± ${jitterMs} ms` : ""}`,
    },
    steps: [
      "the link between {string} and {string} gets {duration} of latency",
      "the link between {string} and {string} gets {duration} of latency with {duration} of jitter",
    ],
  },
  {
    name: "bandwidth",
    args: [node("a"), node("b"), amount("rateKBps")],
    plan: (links, f) => {
      const { all } = linkBetween(links, sideOf(f, "a"), sideOf(f, "b"));
      const attributes = { rate: Math.max(0, Math.round(amountOf(f, "rateKBps"))) };
      return plan(all, toxicOps(all, BOTH, toxic(f.kind, "bandwidth", attributes)));
    },
    detail: ({ rateKBps }) => `${rateKBps} KB/s`,
    console: {
      syntax: "bandwidth <a> <b> <KB/s>",
      done: ({ a, b, rateKBps }) => `${link(a, b)} limited to ${rateKBps} KB/s`,
    },
    steps: ["the link between {string} and {string} is limited to {int} KB\\/s"],
  },
];
