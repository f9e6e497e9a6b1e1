import { When } from "@cucumber/cucumber";
import { defineFaultSteps } from "./fault-steps";

// The network phrases are the fault table's (src/lab/faults/verbs.ts): "the link between {string} and {string} is
// cut", "… is blackholed", "… heals", "{string} is isolated from the network", "{string} can no longer reach
// {string}", "… gets {duration} of latency" (" with {duration} of jitter"), "… is limited to {int} KB\/s",
// "the network heals", and those of verbs registered before this file is loaded.
defineFaultSteps(When);
