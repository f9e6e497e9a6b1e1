// Shared by the topology tests only (not exported by the door).
import * as path from "node:path";
import type { Diagnostic, LoadResult } from "./index";
import { loadTopologyFile } from "./index";

/** The repository root, from dist/topology at run time. */
export const repoRoot = path.join(__dirname, "..", "..");
export const fixturesDir = path.join(repoRoot, "src", "topology", "fixtures");
export const topologiesDir = path.join(repoRoot, "topologies");

export const fixture = (name: string): string => path.join(fixturesDir, name);

/** `line:column severity code path` — one string per diagnostic, compact enough to compare exactly. */
export function brief(diags: readonly Diagnostic[]): string[] {
  return diags.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.path}`);
}

export async function loadFixture(name: string): Promise<LoadResult> {
  return loadTopologyFile(fixture(name));
}

export function errorsOf(r: LoadResult): Diagnostic[] {
  if (r.ok) throw new Error(`expected errors, got a valid topology with ${r.plan.processes.length} processes`);
  return r.errors;
}

export function planOf(r: LoadResult) {
  if (!r.ok)
    throw new Error(
      `expected a valid topology, got:\n${r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("\n")}`,
    );
  return r;
}
