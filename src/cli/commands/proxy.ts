import type { Command } from "commander";
import { addServeOptions, serveFaultProxy, shutdownSignal, type ServeOptions } from "../../faultproxy";
import { setExit } from "../exit";

/** `exlab proxy`: a drop-in for toxiproxy-server; serves until Ctrl-C or SIGTERM, then closes every proxy. */
export function registerProxy(program: Command): void {
  addServeOptions(program.command("proxy"))
    .description("run a Toxiproxy-compatible fault proxy server (drop-in for toxiproxy-server)")
    .action(async (options: ServeOptions) => {
      const signal = shutdownSignal();
      const proxy = await serveFaultProxy(options, (line) => process.stdout.write(`${line}\n`));
      await signal;
      await proxy.close();
      setExit(0);
    });
}
