import { symmetricInt } from "../random";
import { INTERRUPTED } from "../stream";
import { defineToxic } from "./toxic";

/** Releases each chunk at its arrival time + latency ± jitter (ms), never ahead of the chunk before it. */
export const latency = defineToxic<{ latency: number; jitter: number }>({
  type: "latency",
  goType: "toxics.LatencyToxic",
  attributes: { latency: "int64", jitter: "int64" },
  bufferSize: 1024,
  async pipe(stub, attributes) {
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) return stub.close();
      const delay = attributes.latency + symmetricInt(stub.random, attributes.jitter);
      const wait = delay - (stub.now() - chunk.time);
      const slept = await stub.sleep(wait);
      if (slept) chunk.time += wait;
      await stub.write(chunk);
      if (!slept) return;
    }
  },
});
