import {
  After,
  AfterStep,
  Before,
  BeforeStep,
  setDefaultTimeout,
  setWorldConstructor,
  Status,
} from "@cucumber/cucumber";
import { interruptGracefully, interruptedBy } from "./interrupt";
import { LabWorld } from "./world";

setWorldConstructor(LabWorld);
interruptGracefully();
// Steps wait with their own deadlines (a "within 5 seconds" step gives up after 5 s); this only catches a hang.
setDefaultTimeout(120_000);

const stepStarted = new WeakMap<LabWorld, number>();

Before(function (this: LabWorld, { gherkinDocument, pickle }) {
  if (interruptedBy()) return "skipped";
  this.beginScenario(
    gherkinDocument.feature?.name ?? "",
    pickle.name,
    pickle.tags.map((t) => t.name),
  );
});

BeforeStep(function (this: LabWorld, { pickle, pickleStep }) {
  stepStarted.set(this, this.recorder?.now() ?? 0);
  this.currentStep = { index: pickle.steps.findIndex((s) => s.id === pickleStep.id), text: pickleStep.text };
});

const STATUS: Record<string, "passed" | "failed" | "skipped" | "undefined" | "pending" | "ambiguous"> = {
  [Status.PASSED]: "passed",
  [Status.FAILED]: "failed",
  [Status.SKIPPED]: "skipped",
  [Status.UNDEFINED]: "undefined",
  [Status.PENDING]: "pending",
  [Status.AMBIGUOUS]: "ambiguous",
};

/** The keyword as written ("Given ", "And "…): found by the step's AST id anywhere in the document. */
function keywordOf(doc: unknown, id: string | undefined): string {
  if (!id || !doc || typeof doc !== "object") return "";
  const node = doc as Record<string, unknown>;
  if (node.id === id && typeof node.keyword === "string" && "text" in node) return node.keyword;
  for (const v of Object.values(node)) {
    const items = Array.isArray(v) ? v : typeof v === "object" ? [v] : [];
    for (const item of items) {
      const k = keywordOf(item, id);
      if (k) return k;
    }
  }
  return "";
}

AfterStep(function (this: LabWorld, { pickleStep, result, gherkinDocument }) {
  const startedAt = stepStarted.get(this) ?? 0;
  const keyword = keywordOf(gherkinDocument.feature, pickleStep.astNodeIds[0]);
  this.recorder?.step({
    text: pickleStep.text,
    keyword,
    status: STATUS[result.status] ?? "failed",
    startedAt,
    durationMs: Math.max(0, (this.recorder?.now() ?? 0) - startedAt),
    ...(result.message ? { error: result.message } : {}),
  });
});

After(async function (this: LabWorld, { result }) {
  if (!this.recorder) return; // skipped after an interrupt: nothing started
  const interrupted = interruptedBy();
  await this.finish(result?.status === Status.PASSED && !interrupted);
  if (interrupted)
    throw new Error(`interrupted by ${interrupted}: the lab was stopped; the scenarios left are skipped`);
});
