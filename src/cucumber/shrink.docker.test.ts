import { describe } from "node:test";
import { shrinkProof } from "./shrink-test-kit";

// Random schedules and their shrinking work on containers as on processes: the same bundled feature, broken
// exchange, shrink and written feature, with --driver containers.
describe("exlab shrink on containers", () => {
  shrinkProof("containers");
});
