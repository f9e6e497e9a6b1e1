import { When } from "@cucumber/cucumber";
import type { LabWorld } from "../world";

When("machine {string} crashes", function (this: LabWorld, m: string) {
  return this.lab.crash(this.lab.machine(m).name);
});
When("machine {string} shuts down", function (this: LabWorld, m: string) {
  return this.lab.shutdown(this.lab.machine(m).name);
});
When("machine {string} freezes", function (this: LabWorld, m: string) {
  return this.lab.freeze(m);
});
When("machine {string} thaws", function (this: LabWorld, m: string) {
  return this.lab.thaw(m);
});
When("machine {string} starts again", function (this: LabWorld, m: string) {
  return this.lab.startAgain(this.lab.machine(m).name);
});

When("process {string} crashes", function (this: LabWorld, p: string) {
  return this.lab.crash(this.lab.process(p).address);
});
When("process {string} shuts down", function (this: LabWorld, p: string) {
  return this.lab.shutdown(this.lab.process(p).address);
});
When("process {string} starts again", function (this: LabWorld, p: string) {
  return this.lab.startAgain(this.lab.process(p).address);
});
