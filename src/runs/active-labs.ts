import { signalGroup } from "./proc";

/**
 * Every lab running in this process, so that Ctrl-C, SIGTERM or the runner's exit stops them all. Kept on a
 * global symbol: the CLI (compiled) and step definitions may load two copies of this module.
 */
export interface ActiveLab {
  runId: string;
  /** Graceful, async stop. */
  stop(): Promise<void>;
  /** Last resort on process exit: SIGKILL every process group the lab started (synchronous). */
  killNow(): void;
}

interface Registry {
  labs: Set<ActiveLab>;
  installed: boolean;
  /** Whoever claimed the first signal (a features run, to end with a report); a second signal stops at once. */
  claim?: (signal: NodeJS.Signals) => void;
}

const KEY = Symbol.for("exchange-lab.active-labs");

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry>;
  return (g[KEY] ??= { labs: new Set(), installed: false });
}

export function activeLabs(): ActiveLab[] {
  return [...registry().labs];
}

/** Stops every active lab (bounded by `timeoutMs`, then kills what is left). */
export async function stopAllLabs(timeoutMs = 10000): Promise<void> {
  const labs = activeLabs();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(labs.map((l) => l.stop())),
    new Promise((r) => (timer = setTimeout(r, timeoutMs))),
  ]);
  clearTimeout(timer);
  for (const l of activeLabs()) l.killNow();
}

function install(): void {
  const reg = registry();
  if (reg.installed) return;
  reg.installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    const claim = reg.claim;
    if (claim) {
      reg.claim = undefined;
      claim(signal);
      return;
    }
    if (reg.labs.size === 0) {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      reg.installed = false;
      process.kill(process.pid, signal);
      return;
    }
    process.stderr.write(`\nexlab: ${signal}: stopping ${reg.labs.size} lab(s)…\n`);
    void stopAllLabs(5000).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", () => {
    for (const l of reg.labs) l.killNow();
  });
}

/**
 * The next SIGINT/SIGTERM goes to `onFirst` instead of stopping every lab and exiting (which a second signal
 * still does). Returns a function that gives the claim back.
 */
export function claimSignals(onFirst: (signal: NodeJS.Signals) => void): () => void {
  install();
  const reg = registry();
  reg.claim = onFirst;
  return () => {
    if (reg.claim === onFirst) reg.claim = undefined;
  };
}

export function registerLab(lab: ActiveLab, handleSignals: boolean): () => void {
  if (handleSignals) install();
  registry().labs.add(lab);
  return () => registry().labs.delete(lab);
}

/** SIGKILL a list of process groups, ignoring those already gone. */
export function killGroups(pgids: Iterable<number>): void {
  for (const pgid of pgids) signalGroup(pgid, "SIGKILL");
}
