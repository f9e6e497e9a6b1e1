import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The run registry: one JSON file per live run under `<stateDir>/runs/<runId>.json`, listing everything the run
 * started (machine process groups, the fault-proxy server, proxy names) so that `exlab clean` can remove what a
 * killed runner left behind. Written atomically (temp file + rename) after every change.
 */
export interface RunRecord {
  runId: string;
  /** The runner process (the one that owns the lab). */
  runnerPid: number;
  startedAt: string;
  driver: string;
  topology: string;
  /** Second octet of the run's loopback subnet 127.X.0.0/24 (process driver). */
  subnet?: number;
  /** Process groups started by the run, by machine name (and "faultproxy"). */
  groups: Record<string, number>;
  /** The fault-proxy API and the run's proxy-name prefix, to delete its proxies on a shared server. */
  proxyServer?: { url: string; prefix: string; pid?: number };
  /** Docker resources are labelled with the run id; nothing to list here. */
  runDir?: string;
}

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
        return [JSON.parse(readFileSync(join(dir, n), "utf8")) as RunRecord];
      } catch {
        return [];
      }
    });
  }

  static removeRecord(stateDir: string, runId: string): void {
    rmSync(join(stateDir, "runs", `${runId}.json`), { force: true });
  }
}
