import { When } from "@cucumber/cucumber";
import type { LabWorld } from "../world";

When("process {string} offers service {string}", function (this: LabWorld, p: string, s: string) {
  return this.offer(p, s);
});
When(
  "process {string} offers service {string} with audience {string}",
  function (this: LabWorld, p: string, s: string, audience: string) {
    return this.offer(p, s, audience);
  },
);
When("process {string} withdraws service {string}", function (this: LabWorld, p: string, s: string) {
  return this.lab.withdraw(p, s);
});
When(
  "service {string} in process {string} joins service group {string}",
  function (this: LabWorld, s: string, p: string, g: string) {
    return this.lab.join(p, s, g);
  },
);
When(
  "service {string} in process {string} leaves service group {string}",
  function (this: LabWorld, s: string, p: string, g: string) {
    return this.lab.leave(p, s, g);
  },
);
When(
  "a new process {string} with exchange group {string} connects to {string}",
  function (this: LabWorld, p: string, g: string, target: string) {
    return this.addProcess(p, g, target);
  },
);
When(
  "process {string} subscribes to reports {string} from service {string}",
  function (this: LabWorld, p: string, pattern: string, s: string) {
    return this.lab.subscribe(p, s, pattern);
  },
);
When(
  "service {string} in process {string} publishes {string} on subject {string}",
  function (this: LabWorld, s: string, p: string, text: string, subject: string) {
    return this.lab.publish(p, s, subject, text);
  },
);
When(
  "service {string} in process {string} publishes {string} on subject {string} with lifetime {int}",
  function (this: LabWorld, s: string, p: string, text: string, subject: string, lifetime: number) {
    return this.lab.publish(p, s, subject, text, lifetime);
  },
);
When("{duration} pass(es)", function (this: LabWorld, ms: number) {
  return this.wait(ms);
});
