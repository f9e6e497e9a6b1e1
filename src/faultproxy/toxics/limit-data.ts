import { INTERRUPTED } from "../stream";
import { defineToxic } from "./toxic";

interface LimitState {
  transmitted: number;
}

/** Forwards at most `bytes` bytes on this link (counted across updates), then closes the connection. */
export const limitData = defineToxic<{ bytes: number }>({
  type: "limit_data",
  goType: "toxics.LimitDataToxic",
  attributes: { bytes: "int64" },
  newState: (): LimitState => ({ transmitted: 0 }),
  async pipe(stub, attributes) {
    const state = stub.state as LimitState;
    let remaining = attributes.bytes - state.transmitted;
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) return stub.close();
      const data = chunk.data.subarray(0, Math.max(0, remaining));
      if (data.length > 0) {
        await stub.write({ data, time: chunk.time });
        state.transmitted += data.length;
      }
      remaining = attributes.bytes - state.transmitted;
      if (remaining <= 0) return stub.close();
    }
  },
});
