import type { Command } from "commander";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { createDriver, driverNameFrom, driverOptionHelp, driversHelp } from "../../drivers";
import { Lab } from "../../lab";
import { streamLogger } from "../../runs";
import { describeLab, execute } from "../console";
import { formatDiagnostics, loadTopologyFile, resolveTopologyRef } from "../../topology";
import { setExit } from "./index";

/** `exlab up <topology>`: start a topology, keep it running, take commands on stdin; Ctrl-C or EOF tears it down. */
export const registerUp = (program: Command): void => {
  program
    .command("up")
    .description("start a topology and keep it running; type commands (help) to crash, cut, heal, call…")
    .argument("<topology>", "a topology file, or a name in topologies/")
    .option("--driver <name>", driverOptionHelp())
    .addHelpText("after", driversHelp)
    .option("--topologies <dir>", "where bare names are looked up", "topologies")
    .action(async (ref: string, options: { driver?: string; topologies: string }) => {
      const out = (s: string) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`);
      const file = resolveTopologyRef(ref, join(process.cwd(), options.topologies));
      const loaded = await loadTopologyFile(file);
      if (!loaded.ok) {
        process.stderr.write(`${formatDiagnostics(loaded.errors)}\n`);
        return setExit(1);
      }
      const driver = driverNameFrom(options.driver ?? process.env.LAB_DRIVER);
      const lab = await new Lab({
        plan: loaded.plan,
        driver: createDriver(driver),
        logger: streamLogger((l) => process.stderr.write(l)),
      }).start();
      out(describeLab(lab));
      out('type "help" for commands; Ctrl-C or EOF stops everything');
      const rl = createInterface({
        input: process.stdin,
        output: process.stdout,
        prompt: "exlab> ",
        terminal: process.stdin.isTTY,
      });
      rl.prompt();
      try {
        for await (const line of rl) {
          try {
            const r = await execute(lab, line);
            if (r === "quit") break;
            if (r) out(r);
          } catch (err) {
            out(`error: ${(err as Error).message}`);
          }
          rl.prompt();
        }
      } finally {
        rl.close();
        await lab.stop();
        out("stopped");
      }
    });
};
