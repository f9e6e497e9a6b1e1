import type { Command } from "commander";
import {
  formatCommandLine,
  formatDiagnostics,
  formatDuration,
  loadTopologyFile,
  resolveTopologyRef,
  topologySchema,
} from "../../topology";
import type { LoadResult, Plan } from "../../topology";
import { setExit } from "../exit";

/** Options of `exlab validate`. */
export interface ValidateOptions {
  /** Print one JSON document with every result instead of text. @default false */
  json?: boolean;
  /** Treat warnings as errors (exit code 1). @default false */
  strict?: boolean;
  /** Where bare topology names are looked up. @default "topologies" */
  topologies?: string;
  /** Print the JSON Schema of topology files and exit. @default false */
  schema?: boolean;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** Checks each topology and prints its diagnostics; returns the exit code (1 on any error). */
export async function runValidate(
  refs: string[],
  options: ValidateOptions,
  io: { out: (text: string) => void; err: (text: string) => void },
): Promise<number> {
  const write = io.out;
  if (options.schema) {
    write(`${JSON.stringify(topologySchema, null, 2)}\n`);
    return 0;
  }
  if (refs.length === 0) {
    io.err("exlab validate: name at least one topology file (or a name in topologies/)\n");
    return 2;
  }
  const results: { file: string; result: LoadResult }[] = [];
  for (const ref of refs) {
    const file = resolveTopologyRef(ref, options.topologies ?? "topologies");
    results.push({ file, result: await loadTopologyFile(file) });
  }
  const failed = (r: LoadResult) => !r.ok || (options.strict === true && r.warnings.length > 0);
  if (options.json)
    write(
      `${JSON.stringify(
        results.map(({ file, result }) => toJson(file, result)),
        null,
        2,
      )}\n`,
    );
  else for (const { file, result } of results) write(summary(file, result));
  return results.some(({ result }) => failed(result)) ? 1 : 0;
}

function summary(file: string, r: LoadResult): string {
  const diags = r.ok ? r.warnings : [...r.errors, ...r.warnings].sort((a, b) => a.line - b.line || a.column - b.column);
  const warnings = r.warnings.length ? ` (${plural(r.warnings.length, "warning")})` : "";
  const head = diags.length ? `${formatDiagnostics(diags)}\n` : "";
  if (!r.ok)
    return `${head}${file}: ${plural(r.errors.length, "error")}${r.warnings.length ? `, ${plural(r.warnings.length, "warning")}` : ""}\n`;
  const { machines, processes, proxies } = r.plan;
  return `${head}${file}: ok: ${plural(machines.length, "machine")}, ${plural(processes.length, "process", "processes")}, ${plural(proxies.length, "proxy", "proxies")}${warnings}\n${programLines(r.plan)}`;
}

/** `  shop/orders runs: node services/orders.js (cwd: services; env: SLOTS; readyTimeout: 10s)`, one per program. */
function programLines(plan: Plan): string {
  return plan.processes
    .flatMap(({ address, program: p }) => {
      if (!p) return [];
      const env = Object.keys(p.env);
      const extras = [
        ...(p.cwd !== "." ? [`cwd: ${p.cwd}`] : []),
        ...(env.length ? [`env: ${env.join(", ")}`] : []),
        ...(p.readyTimeoutMs !== undefined ? [`readyTimeout: ${formatDuration(p.readyTimeoutMs)}`] : []),
      ];
      return [`  ${address} runs: ${formatCommandLine(p.argv)}${extras.length ? ` (${extras.join("; ")})` : ""}\n`];
    })
    .join("");
}

function toJson(file: string, r: LoadResult) {
  return r.ok
    ? {
        file,
        ok: true,
        errors: [],
        warnings: r.warnings,
        machines: r.plan.machines.length,
        processes: r.plan.processes.length,
        proxies: r.plan.proxies.length,
        programs: r.plan.processes.flatMap((p) => (p.program ? [{ address: p.address, ...p.program }] : [])),
      }
    : { file, ok: false, errors: r.errors, warnings: r.warnings };
}

/** `exlab validate <topology…>`: check topology files without starting anything. */
export const registerValidate = (program: Command): void => {
  program
    .command("validate")
    .description(
      "check topology files (paths, or names in topologies/) and print every error and warning with file:line:column",
    )
    .argument("[topology...]", "topology files or names")
    .option("--json", "print the results as JSON")
    .option("--strict", "fail (exit code 1) on warnings too")
    .option("--topologies <dir>", "where topology names are looked up", "topologies")
    .option("--schema", "print the JSON Schema of topology files")
    .action(async (refs: string[], options: ValidateOptions) => {
      const io = { out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) };
      setExit(await runValidate(refs, options, io));
    });
};
