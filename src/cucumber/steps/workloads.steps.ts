import { Given, When } from "@cucumber/cucumber";
import { parseJsonArgument } from "../../common";
import type { LabWorld } from "../world";

// Background traffic (README "Workloads"): started inside the processes, recorded operation by operation, stopped
// by a step or at the end of the scenario (before the checkers judge the history).
Given(
  "process {string} calls service {string} every {duration}",
  async function (this: LabWorld, p: string, s: string, everyMs: number) {
    this.lab.checkService(s);
    await this.lab.workloads.start({ kind: "calls", process: p, service: s, everyMs });
  },
);
Given(
  "process {string} calls service {string} with {int} calls in flight",
  async function (this: LabWorld, p: string, s: string, inFlight: number) {
    this.lab.checkService(s);
    await this.lab.workloads.start({ kind: "calls", process: p, service: s, inFlight });
  },
);
Given(
  "process {string} calls service {string} with method {string} every {duration}",
  async function (this: LabWorld, p: string, s: string, method: string, everyMs: number) {
    this.lab.checkService(s);
    await this.lab.workloads.start({ kind: "calls", process: p, service: s, method, everyMs });
  },
);
Given(
  "process {string} calls service {string} with method {string} and arguments {string} every {duration}",
  async function (this: LabWorld, p: string, s: string, method: string, args: string, everyMs: number) {
    this.lab.checkService(s);
    const parsed = parseJsonArgument("the arguments", args);
    await this.lab.workloads.start({ kind: "calls", process: p, service: s, method, args: parsed, everyMs });
  },
);
Given(
  "service {string} in process {string} publishes on subject {string} every {duration}",
  async function (this: LabWorld, s: string, p: string, subject: string, everyMs: number) {
    await this.lab.workloads.start({ kind: "publish", process: p, service: s, subject, everyMs });
  },
);
Given(
  "service {string} in process {string} publishes on subject {string} every {duration} with lifetime {int}",
  async function (this: LabWorld, s: string, p: string, subject: string, everyMs: number, lifetime: number) {
    await this.lab.workloads.start({ kind: "publish", process: p, service: s, subject, everyMs, lifetime });
  },
);
When("the workloads stop", async function (this: LabWorld) {
  await this.lab.workloads.stop();
});
