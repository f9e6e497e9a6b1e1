import type { Command } from "commander";
import { createInterface } from "node:readline";
import { join, resolve } from "node:path";
import { createDriver, driverNameFrom, driverOptionHelp, driversHelp } from "../../drivers";
import { Lab } from "../../lab";
import { stopAllLabs, streamLogger } from "../../runs";
import { describeLab } from "../console";
import { defaultUpReportDir, type SessionEnd, UpSession } from "../up-session";
import { formatDiagnostics, loadTopologyFile, resolveTopologyRef } from "../../topology";
import { messageOf } from "../../common";
import { setExit } from "../exit";

interface UpOptions {
  driver?: string;
  topologies: string;
  report?: string;
}

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * `exlab up <topology>`: start a topology, keep it running, take commands on stdin. Ctrl-C, `quit` or EOF tears
 * it down and writes the session's evidence report (timeline, invariants, the commands as steps).
 */
export const registerUp = (program: Command): void => {
  program
    .command("up")
    .description("start a topology and keep it running; type commands (help) to crash, cut, heal, call…")
    .argument("<topology>", "a topology file, or a name in topologies/")
    .option("--driver <name>", driverOptionHelp())
    .addHelpText("after", driversHelp)
    .option("--topologies <dir>", "where bare names are looked up", "topologies")
    .option("--report <dir>", "where the HTML/JUnit report of the session goes (default: reports/up-<time>)")
    .action(async (ref: string, options: UpOptions) => {
      const out = (s: string) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`);
      const file = resolveTopologyRef(ref, join(process.cwd(), options.topologies));
      const loaded = await loadTopologyFile(file);
      if (!loaded.ok) {
        process.stderr.write(`${formatDiagnostics(loaded.errors)}\n`);
        return setExit(1);
      }
      const reportDir = options.report ? resolve(options.report) : defaultUpReportDir(process.cwd());
      const driver = driverNameFrom(options.driver ?? process.env.LAB_DRIVER);
      const lab = new Lab({
        plan: loaded.plan,
        driver: createDriver(driver),
        logger: streamLogger((l) => process.stderr.write(l)),
        // This command traps the signals itself: the first one ends the session with its report.
        handleSignals: false,
      });
      const session = new UpSession(lab, driver);
      // While the lab starts (and after a first signal): stop everything at once, as other commands do.
      let onSignal = (signal: NodeJS.Signals) => {
        process.stderr.write(`\nexlab: ${signal}: stopping the lab…\n`);
        void stopAllLabs(5000).finally(() => process.exit(SIGNAL_EXIT[signal] ?? 1));
      };
      const trap = (signal: NodeJS.Signals) => onSignal(signal);
      process.on("SIGINT", trap).on("SIGTERM", trap);
      try {
        const started = await session.start();
        out(describeLab(started));
        out('type "help" for commands; Ctrl-C, "quit" or EOF stops everything and writes the report');
        const rl = createInterface({
          input: process.stdin,
          output: process.stdout,
          prompt: "exlab> ",
          terminal: process.stdin.isTTY,
        });
        const hardStop = onSignal;
        onSignal = (signal) => {
          onSignal = hardStop;
          process.stderr.write(`\nexlab: ${signal}: stopping the lab and writing the report…\n`);
          setExit(SIGNAL_EXIT[signal] ?? 1);
          rl.close();
        };
        rl.prompt();
        try {
          for await (const line of rl) {
            try {
              const r = await session.execute(line);
              if (r === "quit") break;
              if (r) out(r);
            } catch (err) {
              out(`error: ${messageOf(err)}`);
            }
            rl.prompt();
          }
        } finally {
          rl.close();
          tell(out, await session.finish(reportDir));
        }
      } finally {
        process.off("SIGINT", trap).off("SIGTERM", trap);
      }
    });
};

function tell(out: (s: string) => void, end: SessionEnd): void {
  out("stopped");
  for (const r of end.refused.slice(0, 3)) out(`warning: the recorder refused a lab event: ${r}`);
  out(`session ${end.verdict}; report in ${end.written.html}`);
  if (end.stopError) throw end.stopError;
}
