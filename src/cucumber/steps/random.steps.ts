import { Then, When, type DataTable } from "@cucumber/cucumber";
import { randomFaults } from "../random-faults";
import type { LabWorld } from "../world";

// Random fault schedules (README "Random fault schedules"): the table's rows are `| kind | weight |` or a setting.
When("random faults strike for {duration}", function (this: LabWorld, ms: number) {
  return randomFaults(this, ms);
});
When("random faults strike for {duration} with seed {int}", function (this: LabWorld, ms: number, seed: number) {
  return randomFaults(this, ms, seed);
});
When("random faults strike for {duration}:", function (this: LabWorld, ms: number, table: DataTable) {
  return randomFaults(this, ms, undefined, table.raw());
});
When(
  "random faults strike for {duration} with seed {int}:",
  function (this: LabWorld, ms: number, seed: number, table: DataTable) {
    return randomFaults(this, ms, seed, table.raw());
  },
);

// Every machine and process running again and every link of the plan active at both ends.
Then("within {duration} the lab has recovered", function (this: LabWorld, ms: number) {
  return this.lab.waitUntilRecovered(ms);
});
