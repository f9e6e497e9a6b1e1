import type { Command } from "commander";
import { doctor, type DoctorCheck } from "../../drivers";
import { setExit } from "../exit";

/** `exlab doctor`: what this machine has for each driver, and what to run for what is missing. */
export const registerDoctor = (program: Command): void => {
  program
    .command("doctor")
    .description("say what this machine has for each driver (Node, fault proxy, loopback, Docker) and what to run")
    .option("--json", "print the checks as JSON")
    .action(async (options: { json?: boolean }) => {
      const checks = await doctor();
      process.stdout.write(options.json ? `${JSON.stringify(checks, null, 2)}\n` : formatChecks(checks));
      // The default driver (processes) decides the verdict; a missing Docker engine is only reported.
      setExit(checks.every((c) => c.ok || c.driver === "containers") ? 0 : 1);
    });
};

export function formatChecks(checks: DoctorCheck[]): string {
  const lines: string[] = [];
  for (const driver of [...new Set(checks.map((c) => c.driver))]) {
    const usable = checks.filter((c) => c.driver === driver || c.driver === "all").every((c) => c.ok);
    lines.push(driver === "all" ? "every driver:" : `--driver ${driver}: ${usable ? "ready" : "not ready"}`);
    for (const c of checks.filter((x) => x.driver === driver)) {
      lines.push(`  ${c.ok ? "✓" : "✗"} ${c.what}: ${c.detail}`);
      if (c.todo) lines.push(`      → ${c.todo}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
