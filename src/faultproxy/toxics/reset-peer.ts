import { INTERRUPTED } from "../stream";
import { defineToxic } from "./toxic";

/**
 * On the first chunk (or end) of its stream, drops it and everything after, waits `timeout` ms (this wait
 * cannot be interrupted) and closes the connection. Connections opened while the toxic exists close with RST.
 */
export const resetPeer = defineToxic<{ timeout: number }>({
  type: "reset_peer",
  goType: "toxics.ResetToxic",
  attributes: { timeout: "int64" },
  resetsPeer: true,
  async pipe(stub, attributes) {
    const chunk = await stub.read();
    if (chunk === INTERRUPTED) return;
    await stub.sleepUninterruptibly(attributes.timeout);
    stub.close();
  },
});
