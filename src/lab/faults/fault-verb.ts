import type { Fault, FaultPlan, LinkSet } from "./plan";

/**
 * What kind of value an argument of a fault verb is, which fixes how each front end spells it:
 * - `node`: a machine or a process address; `{string}` in Gherkin, a word on the console. It is resolved to an
 *   endpoint for planning and listed, in order, in the fault's description (`targets`).
 * - `duration`: milliseconds; `{duration}` in Gherkin ("200 ms"), a duration on the console ("200ms", "1.5s").
 * - `number`: a non-negative number (KB/s…); `{int}` or `{float}` in Gherkin, a number on the console.
 */
export type FaultArgKind = "node" | "duration" | "number";

/** One argument of a fault verb. */
export interface FaultArg {
  /** Its key in the planned {@link Fault} and in {@link FaultArgs}, e.g. "a", "from", "latencyMs". */
  name: string;
  kind: FaultArgKind;
  /** May be left out (only trailing arguments may); `default` then stands in, when given. */
  optional?: boolean;
  default?: number;
}

/** An argument as given: a machine or process name, or a number. */
export type FaultArgValue = string | number;

/** A verb's arguments by name, as given (names, not endpoints); optional ones left out are absent. */
export type FaultArgs = Readonly<Record<string, FaultArgValue | undefined>>;

/**
 * One fault verb: one entry of the fault table (verbs.ts), or one registered with `registerFaultVerb`. Everything
 * the lab, the `exlab up` console, the Gherkin steps and the recorded history know about a fault comes from here.
 */
export interface FaultVerb {
  /**
   * The verb's one spelling, lower-case words joined by "-": the console command, the recorded `fault.type`, the
   * timeline's class `fault-<name>` and the toxics' names.
   */
  name: string;
  /** In order: how the console and the Gherkin phrases give them. */
  args: readonly FaultArg[];
  /** The proxy operations for the fault; throws a plain Error when no proxy carries what it names. */
  plan(links: LinkSet, fault: Fault): FaultPlan;
  /** A heal ends the faults in force on the proxies it touches, instead of starting a fault. */
  heals?: boolean;
  /** The human detail of the fault's description (history, timeline, console), e.g. "200 ms ± 20 ms". */
  detail?(args: FaultArgs): string | undefined;
  /** The `exlab up` console. */
  console?: {
    /** For the help and usage errors. @default the name and each argument as `<name>` (`[<name>]` if optional) */
    syntax?: string;
    /** Said after the syntax in the help, e.g. "(no names: everything)". */
    note?: string;
    /** What the console prints once it is done. @default the verb, its targets and detail */
    done?(args: FaultArgs): string;
  };
  /**
   * Gherkin phrases (cucumber expressions) that apply the verb; their parameters, in order, are the verb's leading
   * arguments (those left out are optional), e.g. "the link between {string} and {string} is cut".
   */
  steps?: readonly string[];
}

/** Builders for the table's arguments. */
export const node = (name: string, optional = false): FaultArg => ({ name, kind: "node", optional });
export const duration = (name: string, fallback?: number): FaultArg =>
  fallback === undefined ? { name, kind: "duration" } : { name, kind: "duration", optional: true, default: fallback };
export const amount = (name: string): FaultArg => ({ name, kind: "number" });
