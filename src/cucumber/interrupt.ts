import { claimSignals, stopAllLabs } from "../runs";

let by: NodeJS.Signals | undefined;
let claimed = false;

/**
 * The first SIGINT/SIGTERM ends a features run with its report instead of killing it: the running scenario's lab
 * is stopped (its steps fail, its After hook says it was interrupted), the scenarios left are skipped, and the
 * formatters write the summary and the report. A second signal stops everything at once.
 */
export function interruptGracefully(): void {
  if (claimed) return;
  claimed = true;
  claimSignals((signal) => {
    by = signal;
    process.stderr.write(
      `\nexlab: ${signal}: stopping the running scenario's lab; the report follows (again to stop now)\n`,
    );
    void stopAllLabs(5000);
  });
}

/** The signal that interrupted this run, if one did. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return by;
}
