import { fork, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { HOST_SPEC_ENV } from "./ipc";
import type { ProcessLog } from "./process-log";
import type { HostSpec } from "./spec";

/**
 * Starts one run of a process with an IPC channel and its spec in `EXLAB_HOST_SPEC`: the generic host (`script`,
 * forked), or the user program of `spec.process.program`, spawned directly (no shell) so that signals reach the
 * program itself. It stays in the supervisor's process group, so a machine's freeze and kill reach it too.
 *
 * A program's stdout goes straight to its log file (the supervisor never reads it, so a program that prints a lot
 * costs the lab nothing); its stderr goes through the supervisor into the same file and the ring of last lines that
 * a failed start reports.
 */
export function launch(spec: HostSpec, log: ProcessLog, script: string): ChildProcess {
  const env = { ...process.env, [HOST_SPEC_ENV]: JSON.stringify(spec) };
  const program = spec.process.program;
  if (!program) {
    const child = fork(script, [], { env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    log.follow(child.stdout);
    log.follow(child.stderr, "stderr| ");
    return child;
  }
  const [command, ...args] = program.argv;
  if (!fs.existsSync(program.cwd)) throw new Error(`its working directory ${program.cwd} does not exist`);
  const out = fs.openSync(log.path, "a");
  try {
    const child = spawn(command === "node" ? process.execPath : command, args, {
      cwd: program.cwd,
      env: { ...env, ...program.env },
      stdio: ["ignore", out, "pipe", "ipc"],
      serialization: "json",
    });
    log.follow(child.stderr, "stderr| ");
    return child;
  } finally {
    fs.closeSync(out);
  }
}
