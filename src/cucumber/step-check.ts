import type { Envelope } from "@cucumber/messages";

/** A step no definition matches, or more than one does, found by a dry run before anything starts. */
export interface StepProblem {
  kind: "undefined" | "ambiguous";
  /** The step as written, e.g. `the link betwen "a" and "b" is cut`. */
  text: string;
  /** `features/x.feature:12`. */
  where: string;
  /** Undefined: the closest known phrases; ambiguous: every phrase that matches. */
  phrases: string[];
}

/** Collects, from a dry run's messages, every step that is undefined or ambiguous. */
export class StepChecker {
  private readonly pickleSteps = new Map<string, { text: string; uri: string; astNodeIds: readonly string[] }>();
  private readonly lines = new Map<string, number>();
  private readonly patterns = new Map<string, string>();
  private readonly problems: StepProblem[] = [];

  onMessage(m: Envelope): void {
    if (m.gherkinDocument) this.indexLines(m.gherkinDocument.feature, m.gherkinDocument.uri ?? "");
    if (m.stepDefinition) this.patterns.set(m.stepDefinition.id, m.stepDefinition.pattern.source);
    if (m.pickle) {
      for (const s of m.pickle.steps) {
        this.pickleSteps.set(s.id, { text: s.text, uri: m.pickle.uri, astNodeIds: s.astNodeIds });
      }
    }
    if (m.testCase) {
      for (const ts of m.testCase.testSteps) {
        if (!ts.pickleStepId || !ts.stepDefinitionIds || ts.stepDefinitionIds.length === 1) continue;
        const step = this.pickleSteps.get(ts.pickleStepId);
        if (!step) continue;
        const line = step.astNodeIds.map((id) => this.lines.get(id)).find((l) => l !== undefined);
        const where = `${step.uri}${line ? `:${line}` : ""}`;
        if (ts.stepDefinitionIds.length === 0) {
          this.problems.push({ kind: "undefined", text: step.text, where, phrases: [] });
        } else {
          const phrases = ts.stepDefinitionIds.map((id) => this.patterns.get(id) ?? id);
          this.problems.push({ kind: "ambiguous", text: step.text, where, phrases });
        }
      }
    }
  }

  /** The problems found, the undefined ones with the closest known phrases; one entry per distinct step and place. */
  result(): StepProblem[] {
    const known = [...new Set(this.patterns.values())];
    const seen = new Set<string>();
    return this.problems
      .filter((p) => !seen.has(`${p.kind}\0${p.where}\0${p.text}`) && seen.add(`${p.kind}\0${p.where}\0${p.text}`))
      .map((p) => (p.kind === "undefined" ? { ...p, phrases: closestPhrases(p.text, known) } : p));
  }

  private indexLines(node: unknown, uri: string): void {
    if (!node || typeof node !== "object") return;
    const n = node as { id?: string; location?: { line: number } };
    if (typeof n.id === "string" && n.location) this.lines.set(n.id, n.location.line);
    for (const v of Object.values(node)) {
      for (const child of Array.isArray(v) ? v : [v])
        if (child && typeof child === "object") this.indexLines(child, uri);
    }
  }
}

/** The `count` phrases nearest to a step's text, comparing the step with its values written as parameters. */
export function closestPhrases(text: string, phrases: readonly string[], count = 3): string[] {
  const step = asPhrase(text);
  return phrases
    .map((p) => ({ p, d: distance(step, p.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.p.localeCompare(b.p))
    .slice(0, count)
    .map((x) => x.p);
}

function asPhrase(text: string): string {
  return text
    .toLowerCase()
    .replace(/"[^"]*"/g, "{string}")
    .replace(/\b\d+(\.\d+)?\s*(ms|s|seconds?|minutes?|milliseconds?)\b/g, "{duration}")
    .replace(/\b\d+\b/g, "{int}");
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** How `exlab run` prints the problems. */
export function formatStepProblems(problems: readonly StepProblem[]): string {
  return problems
    .map((p) =>
      p.kind === "undefined"
        ? `${p.where}: undefined step "${p.text}"\n    closest known phrases:\n${p.phrases.map((x) => `      ${x}`).join("\n")}`
        : `${p.where}: ambiguous step "${p.text}" matches ${p.phrases.length} phrases:\n${p.phrases.map((x) => `      ${x}`).join("\n")}`,
    )
    .join("\n");
}
