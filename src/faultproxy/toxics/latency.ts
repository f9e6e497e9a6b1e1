import { symmetricInt, type Random } from "../random";
import { INTERRUPTED } from "../stream";
import { defineToxic } from "./toxic";

/** The delay of one chunk in ms: latency plus a jitter drawn uniformly from [-jitter, jitter). */
export function latencyDelay(attributes: { latency: number; jitter: number }, random: Random): number {
  return attributes.latency + symmetricInt(random, attributes.jitter);
}

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
      const wait = latencyDelay(attributes, stub.random) - (stub.now() - chunk.time);
      const slept = await stub.sleep(wait);
      if (slept) chunk.time += wait;
      await stub.write(chunk);
      if (!slept) return;
    }
  },
});
