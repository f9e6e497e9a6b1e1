import { faultStepPhrases, type FaultArgValue } from "../../lab";
import type { LabWorld } from "../world";

/** A step's code: its parameters are the fault verb's leading arguments. */
export type FaultStepCode = (this: LabWorld, ...params: FaultArgValue[]) => Promise<void>;

/**
 * Defines one step per Gherkin phrase of the fault table (src/lab/faults/verbs.ts, and verbs registered before this
 * runs): each applies its verb through `lab.faults.apply`. `define` is cucumber's `When`.
 */
export function defineFaultSteps(define: (phrase: string, code: FaultStepCode) => void): void {
  for (const { phrase, verb, arity } of faultStepPhrases()) {
    // Cucumber checks a step's arity against its phrase's parameters, and passes a callback after them.
    const code: FaultStepCode = async function (this: LabWorld, ...params: FaultArgValue[]) {
      await this.lab.faults.apply(verb, params.slice(0, arity));
    };
    Object.defineProperty(code, "length", { value: arity });
    define(phrase, code);
  }
}
