import { UnknownNameError, messageOf } from "../../common";
import { parseDuration } from "../../topology";
import { FaultError, FaultVerbError } from "../errors";
import type { LabFaultDescription } from "../events";
import type { FaultArg, FaultArgs, FaultArgValue, FaultVerb } from "./fault-verb";
import type { Fault, FaultPlan, LinkSet } from "./plan";
import { FAULT_VERBS } from "./verbs";

/**
 * The fault verbs by name: the table of verbs.ts, then those registered by `registerFaultVerb`, in that order (the
 * console's help lists them so). The lab, the console, the Gherkin steps and the history all read them from here.
 */
const verbs = new Map<string, FaultVerb>();

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PLACEHOLDER = /(?<!\\)\{[^{}]*\}/g;

/**
 * Adds a fault verb: from then on `lab.faults.apply(name, args)`, the `exlab up` console and (for step files loaded
 * after this call) the Gherkin phrases know it. Throws a {@link FaultVerbError} if the entry is malformed, or its
 * name or one of its phrases is already taken.
 */
export function registerFaultVerb(verb: FaultVerb): void {
  const bad = (why: string) => new FaultVerbError(`fault verb ${JSON.stringify(verb?.name)}: ${why}`);
  if (typeof verb?.name !== "string" || !NAME.test(verb.name))
    throw bad('its name must be lower-case words joined by "-" (e.g. "slow-start")');
  if (verbs.has(verb.name)) throw bad("a verb of that name is already registered");
  if (typeof verb.plan !== "function") throw bad("it has no plan(links, fault)");
  if (!Array.isArray(verb.args)) throw bad("its args must be a list (empty if it takes none)");
  const args = verb.args;
  const required = requiredCount(verb);
  if (args.slice(required).some((a) => !a.optional)) throw bad("only its last arguments may be optional");
  const taken = new Set(faultStepPhrases().map((p) => p.phrase));
  for (const phrase of verb.steps ?? []) {
    const n = phrase.match(PLACEHOLDER)?.length ?? 0;
    if (n < required || n > args.length)
      throw bad(`the phrase "${phrase}" has ${n} parameter(s); it needs ${required} to ${args.length}`);
    if (taken.has(phrase)) throw bad(`the phrase "${phrase}" already belongs to another verb`);
  }
  verbs.set(verb.name, verb);
}

/** Every fault verb, the table's first. */
export function faultVerbs(): FaultVerb[] {
  return [...verbs.values()];
}

/** The verb of that name; an {@link UnknownNameError} listing the verbs otherwise. */
export function faultVerb(name: string): FaultVerb {
  const v = verbs.get(name);
  if (!v) throw new UnknownNameError("fault verb", name, [...verbs.keys()]);
  return v;
}

/** The proxy operations for a fault, by its verb. Throws a plain Error naming the sides when no proxy carries it. */
export function planFault(links: LinkSet, fault: Fault): FaultPlan {
  const v = verbs.get(fault.kind);
  if (!v) throw new Error(`unknown fault verb "${fault.kind}"; known: ${[...verbs.keys()].join(", ")}`);
  return v.plan(links, fault);
}

function requiredCount(v: FaultVerb): number {
  const i = v.args.findIndex((a) => a.optional);
  return i < 0 ? v.args.length : i;
}

function valueProblem(arg: FaultArg, value: FaultArgValue): string | undefined {
  if (arg.kind === "node") return typeof value === "string" && value !== "" ? undefined : "a machine or process name";
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? undefined : "a non-negative number";
}

/**
 * A verb's arguments by name from the arguments in order, defaults filled in. Throws a {@link FaultError} saying how
 * to write the verb when there are too few or too many, or one is of the wrong kind.
 */
export function faultArgs(verb: FaultVerb, given: readonly FaultArgValue[]): FaultArgs {
  if (given.length < requiredCount(verb) || given.length > verb.args.length)
    throw new FaultError(`usage: ${faultSyntax(verb)}`);
  const out: Record<string, FaultArgValue> = {};
  verb.args.forEach((arg, i) => {
    const value = i < given.length ? given[i] : arg.default;
    if (value === undefined) return;
    const problem = valueProblem(arg, value);
    if (problem) throw new FaultError(`${verb.name}: ${arg.name} must be ${problem}, got ${JSON.stringify(value)}`);
    out[arg.name] = value;
  });
  return out;
}

/** The description a fault is recorded with: the verb's name, its `node` arguments as targets, the verb's detail. */
export function describeFault(verb: FaultVerb, args: FaultArgs): LabFaultDescription {
  const targets = verb.args
    .filter((a) => a.kind === "node" && args[a.name] !== undefined)
    .map((a) => `${args[a.name]}`);
  const detail = verb.detail?.(args);
  return { type: verb.name, targets, ...(detail !== undefined ? { detail } : {}) };
}

/** How the console writes a verb (`cut <a> <b>`). */
export function faultSyntax(verb: FaultVerb): string {
  const words = verb.args.map((a) => (a.optional ? `[<${a.name}>]` : `<${a.name}>`));
  return verb.console?.syntax ?? [verb.name, ...words].join(" ");
}

/** What the console prints once the verb is done. */
export function faultDoneMessage(verb: FaultVerb, args: FaultArgs): string {
  if (verb.console?.done) return verb.console.done(args);
  const d = describeFault(verb, args);
  return `${verb.name} ${d.targets.join(" ⇄ ")}${d.detail ? ` (${d.detail})` : ""}${verb.heals ? " healed" : ""}`;
}

/** A console command's words (after the verb) as the verb's arguments in order: durations and numbers parsed. */
export function faultArgsFromWords(verb: FaultVerb, words: readonly string[]): FaultArgValue[] {
  if (words.length < requiredCount(verb) || words.length > verb.args.length)
    throw new FaultError(`usage: ${faultSyntax(verb)}`);
  return words.map((word, i) => {
    const arg = verb.args[i];
    if (arg.kind === "node") return word;
    let n: number;
    try {
      n = arg.kind === "duration" ? parseDuration(word) : Number(word);
    } catch (err) {
      throw new FaultError(`${verb.name}: ${messageOf(err)} (usage: ${faultSyntax(verb)})`, { cause: err });
    }
    if (!Number.isFinite(n) || n < 0 || word.trim() === "")
      throw new FaultError(`${verb.name}: "${word}" is not a non-negative number (usage: ${faultSyntax(verb)})`);
    return n;
  });
}

/** One Gherkin phrase of a verb: its parameters are the verb's first `arity` arguments. */
export interface FaultStepPhrase {
  phrase: string;
  verb: string;
  arity: number;
}

/** Every verb's Gherkin phrases, in table order: the steps module defines one step per phrase. */
export function faultStepPhrases(): FaultStepPhrase[] {
  return faultVerbs().flatMap((v) =>
    (v.steps ?? []).map((phrase) => ({ phrase, verb: v.name, arity: phrase.match(PLACEHOLDER)?.length ?? 0 })),
  );
}

// The table first (after everything above is initialised).
for (const v of FAULT_VERBS) registerFaultVerb(v);

/**
 * The Gherkin text of a verb applied to these arguments (in order), through the verb's phrase that takes exactly
 * that many: `faultStepText("cut", ["alpha", "beta"])` is `the link between "alpha" and "beta" is cut`. Names are
 * quoted, durations written in ms. Throws a {@link FaultError} when the verb has no such phrase.
 */
export function faultStepText(verb: string, args: readonly FaultArgValue[]): string {
  const phrase = faultStepPhrases().find((p) => p.verb === verb && p.arity === args.length);
  if (!phrase) throw new FaultError(`the fault verb "${verb}" has no Gherkin phrase taking ${args.length} argument(s)`);
  let i = 0;
  return phrase.phrase
    .replace(PLACEHOLDER, (placeholder) => {
      const value = args[i++];
      if (placeholder === "{string}") return JSON.stringify(String(value));
      if (placeholder === "{duration}") return `${value} ms`;
      return String(value);
    })
    .replace(/\\(.)/g, "$1");
}
