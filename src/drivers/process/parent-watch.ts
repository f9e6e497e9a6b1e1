/**
 * Preloaded (`node --require`) into every process the process driver starts, so that a machine dies with the run
 * even when the runner is killed without a chance to clean up: when this process is re-parented (its parent died),
 * it kills its own process group (it is the group leader for a supervisor) and then itself.
 *
 * Children forked by the supervisor inherit the preload too: for them the parent is the supervisor, so a host
 * also exits when its supervisor is gone.
 */
const initialParent = process.ppid;
const intervalMs = Number(process.env.EXLAB_PARENT_WATCH_MS ?? 300);

function orphaned(): void {
  try {
    process.kill(-process.pid, "SIGKILL");
  } catch {
    /* not a group leader */
  }
  process.kill(process.pid, "SIGKILL");
}

if (initialParent > 1) {
  const timer = setInterval(() => {
    if (process.ppid !== initialParent) orphaned();
  }, intervalMs);
  timer.unref();
}
