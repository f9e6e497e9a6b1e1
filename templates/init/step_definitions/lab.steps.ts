// A step of your own, beside the bundled ones: `this.lab` is the running lab (exchange-lab's StartedLab).
import { Then } from "@cucumber/cucumber";
import type { LabWorld } from "exchange-lab/cucumber";

Then("every machine of the lab is {string}", function (this: LabWorld, state: string) {
  const wrong = this.lab
    .machines()
    .map((name) => this.lab.machine(name))
    .filter((m) => m.state !== state);
  if (wrong.length) throw new Error(`not ${state}: ${wrong.map((m) => `${m.name} (${m.state})`).join(", ")}`);
});
