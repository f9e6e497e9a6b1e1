import type { Command } from "commander";
import { describeFailure, exlabRunner, shrinkScenario, shrinkTarget } from "../../cucumber";
import { driverOptionHelp } from "../../drivers";
import { parseDuration } from "../../topology";
import { setExit } from "../exit";
import { seedOf } from "./seed";

interface ShrinkCliOptions {
  driver?: string;
  seed?: string;
  budget: string;
  out?: string;
  name?: string;
}

/**
 * `exlab shrink <report | feature:line>`: the smallest set of a failing scenario's random faults that still fails it
 * the same way, written as a feature of named steps. Exit 0: written; 2: the scenario passed (nothing to shrink);
 * 3: the failure did not come back when replayed (flaky); 1: anything else.
 */
export const registerShrink = (program: Command): void => {
  program
    .command("shrink")
    .description("reduce a failing scenario's random fault schedule to the fewest faults that still fail it")
    .argument("<target>", "a report folder of exlab run (or its report.json), or feature:line of a random scenario")
    .option("--driver <name>", driverOptionHelp())
    .option("--seed <n>", "for feature:line: the seed of its random steps that name none")
    .option("--budget <duration>", "stop after this long and keep the smallest failing scenario found", "15m")
    .option("--out <file>", "where the minimal feature goes (default: minimal.feature in the shrink's folder)")
    .option("--name <regexp>", "in a report: the failing scenario whose name matches (default: the first)")
    .action(async (target: string, options: ShrinkCliOptions) => {
      const budgetMs = parseDuration(options.budget);
      const seed = seedOf(options.seed);
      const cwd = process.cwd();
      const run = exlabRunner({
        cwd,
        ...(options.driver ? { driver: options.driver } : {}),
        ...(seed !== undefined ? { seed } : {}),
      });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
      const out = process.stdout;
      const t = await shrinkTarget(target, {
        cwd,
        run,
        stamp,
        ...(options.name ? { name: new RegExp(options.name) } : {}),
      });
      if (t.others.length)
        out.write(`shrink: other failing random scenarios (--name to pick one): ${t.others.join(", ")}\n`);
      const r = await shrinkScenario({
        scenario: t.scenario,
        workDir: t.workDir,
        out: options.out,
        budgetMs,
        run,
        stdout: out,
      });
      switch (r.status) {
        case "passed":
          out.write(`shrink: "${t.scenario.name}" passed: nothing to shrink\n`);
          return setExit(2);
        case "no schedule":
          out.write(`shrink: "${t.scenario.name}" ran no random faults: nothing to shrink\n`);
          return setExit(2);
        case "flaky":
          out.write(
            `shrink: the failure (${describeFailure(r.failure)}) did not come back when its realized schedule was replayed` +
              ` (${r.again ? describeFailure(r.again) : "it passed"}): it depends on more than the faults (timing, load) — not shrinking noise.` +
              ` Candidates and their reports: ${t.workDir}\n`,
          );
          return setExit(3);
        case "shrunk":
          out.write(
            `shrink: ${r.before.length} → ${r.kept.length} fault(s) in ${r.runs} run(s)${r.minimal ? "" : " (budget spent: maybe not the smallest)"}; ` +
              `it fails the same way (${describeFailure(r.failure)})\nshrink: written ${r.file}\n`,
          );
          return setExit(0);
      }
    });
};
