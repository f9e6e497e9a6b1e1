import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../runs";
import { commands } from "./commands";
import { messageOf } from "../common";

/**
 * The `exlab` command: a thin shell over the lab and the fault proxy. This is the only module that touches
 * process.exitCode; each sub-command lives in ./commands and returns its exit code.
 */
export async function main(argv: string[]): Promise<void> {
  // Output piped into `head` and the like: a closed pipe ends the output, not the command with a stack trace.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
  const program = new Command("exlab")
    .description("A declarative fault-injection lab for distributed message exchanges")
    .version(packageVersion(), "-V, --version", "print the version of exchange-lab")
    .exitOverride()
    .showHelpAfterError();
  try {
    for (const register of commands) register(program); // help texts read the driver registry (EXLAB_DRIVERS)
    if (argv.length === 0) {
      process.stdout.write(program.helpInformation());
      return;
    }
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

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}
