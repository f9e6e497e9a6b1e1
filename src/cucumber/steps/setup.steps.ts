import { Given } from "@cucumber/cucumber";
import type { LabWorld } from "../world";

Given("the topology {string} is running", function (this: LabWorld, name: string) {
  return this.startTopology(name);
});

Given("this topology is running:", function (this: LabWorld, yaml: string) {
  return this.startTopologyText(yaml);
});
