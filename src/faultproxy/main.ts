import { Command, CommanderError } from "commander";
import { addServeOptions, consoleLogger, serveFaultProxy, shutdownSignal, type ServeOptions } from "./cli";
import { messageOf } from "./errors";
import { TOXIPROXY_VERSION } from "./server";

const GO_FLAGS = /^-(host|port|config|seed|version)(=.*)?$/;

/**
 * Standalone entry point (container image, `node dist/faultproxy/main.js`): serves until SIGTERM or SIGINT, then
 * closes every proxy. Accepts toxiproxy-server's single-dash flags too (`-host 0.0.0.0 -port 8474`).
 */
export async function main(argv: string[]): Promise<number> {
  const program = addServeOptions(new Command("fault-proxy"))
    .description("Toxiproxy-compatible fault proxy server")
    .option("--version", "print the Toxiproxy version this server reproduces")
    .exitOverride();
  try {
    program.parse(
      argv.map((a) => (GO_FLAGS.test(a) ? `-${a}` : a)),
      { from: "user" },
    );
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  const options = program.opts<ServeOptions & { version?: boolean }>();
  if (options.version) {
    process.stdout.write(`toxiproxy-server version ${TOXIPROXY_VERSION}\n`);
    return 0;
  }
  const logger = consoleLogger();
  const signal = shutdownSignal();
  const proxy = await serveFaultProxy(options, (line) => process.stdout.write(`${line}\n`), logger);
  logger.info({ signal: await signal }, "Shutdown started");
  await proxy.close();
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`fault-proxy: ${messageOf(err)}\n`);
      process.exitCode = 1;
    },
  );
}
