import { claimSignals, stopAllLabs } from "../runs";

let by: NodeJS.Signals | undefined;
let claimed = false;
const waiting = new Set<() => void>();

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
    for (const wake of waiting) wake();
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

/** Waits `ms`, or less when the run is interrupted meanwhile ("When 30 seconds pass" must not outlive Ctrl-C). */
export function pause(ms: number): Promise<void> {
  if (by) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      waiting.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    waiting.add(wake);
  });
}
