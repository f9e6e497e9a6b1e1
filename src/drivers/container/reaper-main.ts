import { RunState } from "../../runs";
import { removeRun } from "./cleanup";
import { messageOf } from "../../common";

/**
 * `node reaper-main.js --run <runId> --state <stateDir>`, started by the container driver (see reaper.ts). Waits
 * while its parent (the runner) lives; SIGTERM means the run closed normally. When the parent is gone, removes the
 * run's labelled containers and network (retrying a few times), then the run's registry record, and exits.
 */
const arg = (name: string): string => {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) {
    process.stderr.write(`reaper: missing ${name}\n`);
    process.exit(2);
  }
  return v;
};

const runId = arg("--run");
const stateDir = arg("--state");
const parent = process.ppid;
const intervalMs = Number(process.env.EXLAB_PARENT_WATCH_MS ?? 300);
const stamp = () => new Date().toISOString();

async function reap(): Promise<void> {
  process.stdout.write(`${stamp()} reaper: the runner (pid ${parent}) is gone; removing run ${runId}\n`);
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const r = await removeRun(runId);
      process.stdout.write(
        `${stamp()} reaper: removed ${r.containers.length} container(s), ${r.networks.length} network(s)\n`,
      );
      RunState.removeRecord(stateDir, runId);
      return;
    } catch (err) {
      process.stdout.write(`${stamp()} reaper: attempt ${attempt} failed: ${messageOf(err)}\n`);
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
  process.exitCode = 1;
}

process.once("SIGTERM", () => process.exit(0));
const timer = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(timer);
  void reap().finally(() => process.exit());
}, intervalMs);
