import { INTERRUPTED } from "../stream";
import { defineToxic } from "./toxic";

/**
 * Limits throughput to `rate` KB/s (1 KB = 1000 bytes). Chunks bigger than rate×100 bytes leave in
 * rate×100-byte slices every 100 ms. Rate 0 holds data indefinitely, as in Toxiproxy.
 */
export const bandwidth = defineToxic<{ rate: number }>({
  type: "bandwidth",
  goType: "toxics.BandwidthToxic",
  attributes: { rate: "int64" },
  validate: (a) => (a.rate < 0 ? `bandwidth rate must not be negative, got ${a.rate} KB/s` : undefined),
  async pipe(stub, attributes) {
    let debt = 0;
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) return stub.close();
      const rate = attributes.rate;
      debt = rate <= 0 ? 0 : debt + chunk.data.length / rate;
      const slice = Math.max(0, rate * 100);
      let data = chunk.data;
      while (data.length > slice) {
        if (!(await stub.sleep(100))) return stub.write({ data, time: chunk.time });
        if (slice > 0) await stub.write({ data: data.subarray(0, slice), time: chunk.time });
        data = data.subarray(slice);
        debt -= 100;
      }
      const start = stub.now();
      const slept = await stub.sleep(debt);
      debt -= stub.now() - start;
      await stub.write({ data, time: chunk.time });
      if (!slept) return;
    }
  },
});
