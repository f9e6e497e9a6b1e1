import { When } from "@cucumber/cucumber";
import type { LabWorld } from "../world";

When("the link between {string} and {string} is cut", function (this: LabWorld, a: string, b: string) {
  return this.lab.faults.cut(a, b);
});
When("the link between {string} and {string} is blackholed", function (this: LabWorld, a: string, b: string) {
  return this.lab.faults.blackhole(a, b);
});
When("the link between {string} and {string} heals", function (this: LabWorld, a: string, b: string) {
  return this.lab.faults.heal(a, b);
});
When("{string} is isolated from the network", function (this: LabWorld, x: string) {
  return this.lab.faults.isolate(x);
});
When("{string} can no longer reach {string}", function (this: LabWorld, from: string, to: string) {
  return this.lab.faults.oneWay(from, to);
});
When(
  "the link between {string} and {string} gets {duration} of latency",
  function (this: LabWorld, a: string, b: string, ms: number) {
    return this.lab.faults.latency(a, b, ms);
  },
);
When(
  "the link between {string} and {string} gets {duration} of latency with {duration} of jitter",
  function (this: LabWorld, a: string, b: string, ms: number, jitter: number) {
    return this.lab.faults.latency(a, b, ms, jitter);
  },
);
When(
  "the link between {string} and {string} is limited to {int} KB\\/s",
  function (this: LabWorld, a: string, b: string, kbps: number) {
    return this.lab.faults.bandwidth(a, b, kbps);
  },
);
When("the network heals", function (this: LabWorld) {
  return this.lab.faults.healAll();
});
