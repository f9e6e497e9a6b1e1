import { Command, CommanderError } from "commander";
import { commands } from "./commands";

/**
 * The `exlab` command: a thin shell over the lab and the fault proxy. This is the only module that touches
 * process.exitCode; each sub-command lives in ./commands and returns its exit code.
 */
export async function main(argv: string[]): Promise<void> {
  const program = new Command("exlab")
    .description("A declarative fault-injection lab for distributed message exchanges")
    .exitOverride()
    .showHelpAfterError();
  try {
    for (const register of commands) register(program); // help texts read the driver registry (EXLAB_DRIVERS)
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`exlab: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
