import { faultPlanning as P, registerFaultVerb } from "../index";
import { faultVerbs } from "./registry";

/**
 * A throwaway fault verb for tests: a link that starts slowly (a latency toxic both ways), one table entry with
 * one Gherkin phrase. Registered once per process, whichever test asks first.
 */
export function registerSlowStart(): void {
  if (faultVerbs().some((v) => v.name === "slow-start")) return;
  registerFaultVerb({
    name: "slow-start",
    args: [
      { name: "a", kind: "node" },
      { name: "b", kind: "node" },
      { name: "delayMs", kind: "duration" },
    ],
    plan: (links, f) => {
      const { all } = P.linkBetween(links, P.sideOf(f, "a"), P.sideOf(f, "b"));
      const latency = P.toxic("slow-start", "latency", { latency: P.amountOf(f, "delayMs") });
      return { proxies: P.proxyNames(all), ops: P.toxicOps(all, P.BOTH, latency) };
    },
    detail: ({ delayMs }) => `${delayMs} ms to start`,
    steps: ["the link between {string} and {string} starts slowly by {duration}"],
  });
}
