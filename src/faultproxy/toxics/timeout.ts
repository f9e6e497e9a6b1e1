import { INTERRUPTED } from "../stream";
import { defineToxic, TIMED_OUT } from "./toxic";

/**
 * Discards every byte (a blackhole). With timeout > 0 the connection closes after `timeout` ms without a chunk
 * on this stream; 0 holds it open forever. Removing the toxic closes the connection.
 */
export const timeout = defineToxic<{ timeout: number }>({
  type: "timeout",
  goType: "toxics.TimeoutToxic",
  attributes: { timeout: "int64" },
  async pipe(stub, attributes) {
    const ms = attributes.timeout;
    for (;;) {
      const chunk = ms > 0 ? await stub.readWithin(ms) : await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null || chunk === TIMED_OUT) return stub.close();
    }
  },
  cleanup: (stub) => stub.close(),
});
