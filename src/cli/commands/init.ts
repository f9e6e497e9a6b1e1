import type { Command } from "commander";
import { scaffold } from "../../project";
import { setExit } from "../exit";

/** `exlab init`: scaffolds the current project for the lab; never overwrites a file. */
export const registerInit = (program: Command): void => {
  program
    .command("init")
    .description("scaffold this project: a topology, a feature, a step of your own, npm scripts, a CI workflow")
    .option("--dir <dir>", "the project folder", ".")
    .option("--typescript", "write the step example in TypeScript (default: when the project uses TypeScript)")
    .option("--example <name>", "start from one of the package's examples (shop: an application of your own services)")
    .action((options: { dir: string; typescript?: boolean; example?: string }) => {
      const actions = scaffold({
        dir: options.dir,
        ...(options.typescript ? { typescript: true } : {}),
        ...(options.example ? { example: options.example } : {}),
      });
      for (const a of actions) {
        process.stdout.write(`  ${a.action.padEnd(8)} ${a.file}${a.detail ? `  (${a.detail})` : ""}\n`);
      }
      process.stdout.write("Next: npx exlab run   (or npm run lab)\n");
      setExit(0);
    });
};
