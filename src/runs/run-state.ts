import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The run registry: one JSON file per live run under `<stateDir>/runs/<runId>.json`, listing everything the run
 * started so that `exlab clean` can remove what a killed runner left behind: the driver-neutral facts below, and
 * the driver's own `resources`, which only that driver's sweep reads. Written atomically (temp file + rename)
 * after every change.
 */
export interface RunRecord {
  runId: string;
  /** The runner process (the one that owns the lab). */
  runnerPid: number;
  startedAt: string;
  /** The registered name of the run's driver: whose sweep removes what the run left. */
  driver: string;
  topology: string;
  /** What the driver tracked: `resources[kind][name] = id` (a process group, a lock, a namespace…). */
  resources: Resources;
  /** The fault-proxy API and the run's proxy-name prefix, to delete its proxies on a shared server. */
  proxyServer?: { url: string; prefix: string; pid?: number };
  runDir?: string;
}

/** A driver's tracked resources, by kind (the driver's word) then name. */
export type Resources = Record<string, Record<string, number | string>>;

/** Where run records and subnet locks live. @default $EXLAB_STATE_DIR or <os tmpdir>/exlab-state */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.EXLAB_STATE_DIR ?? join(tmpdir(), "exlab-state");
}

export class RunState {
  private readonly file: string;
  constructor(
    readonly stateDir: string,
    readonly record: RunRecord,
  ) {
    this.file = join(stateDir, "runs", `${record.runId}.json`);
  }

  save(): void {
    mkdirSync(join(this.stateDir, "runs"), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.record, null, 2) + "\n");
    renameSync(tmp, this.file);
  }

  update(change: (r: RunRecord) => void): void {
    change(this.record);
    this.save();
  }

  remove(): void {
    rmSync(this.file, { force: true });
  }

  static list(stateDir: string): RunRecord[] {
    const dir = join(stateDir, "runs");
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
    return names.flatMap((n) => {
      try {
        const r = JSON.parse(readFileSync(join(dir, n), "utf8")) as RunRecord;
        return [{ ...r, resources: r.resources ?? {} }]; // records written before `resources` have none
      } catch {
        return [];
      }
    });
  }

  static removeRecord(stateDir: string, runId: string): void {
    rmSync(join(stateDir, "runs", `${runId}.json`), { force: true });
  }
}
