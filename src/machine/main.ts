import * as fs from "node:fs";
import { ControlApi } from "./control-api";
import { MachineError, messageOf } from "./errors";
import { MACHINE_SPEC_ENV, READY_PREFIX } from "./ipc";
import { parseMachineSpec } from "./schema";
import { Supervisor } from "./supervisor";

/**
 * The machine supervisor's entry point: `node dist/machine/main.js [--spec FILE]` (else env EXLAB_MACHINE_SPEC).
 * Prints `EXLAB_READY {"controlPort":N,"pid":N}` as its first stdout line once the control API listens;
 * SIGTERM/SIGINT stop every host gracefully, then exit.
 */
export async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf("--spec");
  let raw: string | undefined;
  let source: string;
  if (i >= 0) {
    source = argv[i + 1] ?? "";
    if (!source) return fail("--spec needs a file name");
    try {
      raw = fs.readFileSync(source, "utf8");
    } catch (err) {
      return fail(`cannot read spec file "${source}": ${messageOf(err)}`);
    }
  } else {
    source = `$${MACHINE_SPEC_ENV}`;
    raw = process.env[MACHINE_SPEC_ENV];
    if (!raw) return fail(`no machine spec: pass --spec FILE or set ${MACHINE_SPEC_ENV}`);
  }
  let spec;
  try {
    spec = parseMachineSpec(JSON.parse(raw), `machine spec from ${source}`);
  } catch (err) {
    return fail(
      err instanceof MachineError ? err.message : `machine spec from ${source} is not valid JSON: ${messageOf(err)}`,
    );
  }
  const sup = new Supervisor(spec);
  const api = new ControlApi(sup);
  let port: number;
  try {
    port = await api.listen(spec.controlPort, spec.bindHost);
  } catch (err) {
    return fail(`control API cannot listen on ${spec.bindHost}:${spec.controlPort}: ${messageOf(err)}`);
  }
  process.stdout.write(`${READY_PREFIX}${JSON.stringify({ controlPort: port, pid: process.pid })}\n`);
  process.stderr.write(`Machine "${spec.machine}": control API on http://${spec.bindHost}:${port}\n`);
  const stopped = new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      process.stderr.write(`Machine "${spec.machine}": ${sig}, shutting down\n`);
      void sup
        .shutdown()
        .then(() => api.close())
        .then(resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  sup.start().catch((err: unknown) => process.stderr.write(`Machine "${spec.machine}": ${messageOf(err)}\n`));
  await stopped;
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`exlab machine: ${message}\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
