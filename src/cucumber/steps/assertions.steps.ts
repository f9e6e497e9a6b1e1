import { Then, type DataTable } from "@cucumber/cucumber";
import * as L from "../../lab";
import type { LabWorld } from "../world";

Then(
  "within {duration} process {string} sees service {string}",
  function (this: LabWorld, ms: number, p: string, s: string) {
    return L.seesService(this.lab, p, s, ms);
  },
);
Then(
  "within {duration} process {string} no longer sees service {string}",
  function (this: LabWorld, ms: number, p: string, s: string) {
    return L.noLongerSeesService(this.lab, p, s, ms);
  },
);
Then(
  "for {duration} process {string} never sees service {string}",
  function (this: LabWorld, ms: number, p: string, s: string) {
    return L.neverSeesService(this.lab, p, s, ms);
  },
);
Then("within {duration} every process sees service {string}", function (this: LabWorld, ms: number, s: string) {
  return L.everyProcessSees(this.lab, s, ms);
});
Then("within {duration} the services seen are:", function (this: LabWorld, ms: number, table: DataTable) {
  const [header, ...rows] = table.raw();
  return L.servicesSeenAre(this.lab, header, rows, ms);
});
Then(
  "within {duration} the members of service group {string} seen by process {string} are {string}",
  function (this: LabWorld, ms: number, g: string, p: string, members: string) {
    return L.groupMembersAre(this.lab, g, p, members, ms);
  },
);
Then("process {string} can call service {string}", function (this: LabWorld, p: string, s: string) {
  return L.canCall(this.lab, p, s, this.defaultDeadlineMs);
});
Then(
  "a call from process {string} to service {string} is answered by process {string}",
  function (this: LabWorld, p: string, s: string, by: string) {
    return L.callAnsweredBy(this.lab, p, s, by, this.defaultDeadlineMs);
  },
);
Then(
  "a call from process {string} to service {string} fails with {string}",
  function (this: LabWorld, p: string, s: string, code: string) {
    return L.callFailsWith(this.lab, p, s, code, this.defaultDeadlineMs);
  },
);
Then(
  "within {duration} process {string} receives {string} on subject {string}",
  function (this: LabWorld, ms: number, p: string, text: string, subject: string) {
    return L.receivesReport(this.lab, p, text, subject, ms);
  },
);
Then(
  "within {duration} process {string} is refused by {string} with {string}",
  function (this: LabWorld, ms: number, p: string, by: string, reason: string) {
    return L.refusedBy(this.lab, p, by, reason, ms);
  },
);
Then(
  "within {duration} {string} and {string} share exactly one link",
  function (this: LabWorld, ms: number, a: string, b: string) {
    return L.shareExactlyOneLink(this.lab, a, b, ms);
  },
);
Then("every invariant holds", function (this: LabWorld) {
  return this.checkInvariants();
});
