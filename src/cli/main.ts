import { Command, CommanderError } from "commander";
import { commands } from "./commands";
import { messageOf } from "../common";

/**
 * The `exlab` command: a thin shell over the lab and the fault proxy. This is the only module that touches
 * process.exitCode; each sub-command lives in ./commands and returns its exit code.
 */
export async function main(argv: string[]): Promise<void> {
  const program = new Command("exlab")
    .description("A declarative fault-injection lab for distributed message exchanges")
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`exlab: ${messageOf(err)}\n`);
    process.exitCode = 1;
  }
}
