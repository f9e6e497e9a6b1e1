import { INTERRUPTED } from "../stream";
import { defineToxic } from "./toxic";

/** Passes data unchanged but holds the end of the stream for `delay` ms. */
export const slowClose = defineToxic<{ delay: number }>({
  type: "slow_close",
  goType: "toxics.SlowCloseToxic",
  attributes: { delay: "int64" },
  async pipe(stub, attributes) {
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) {
        if (await stub.sleep(attributes.delay)) stub.close();
        return;
      }
      await stub.write(chunk);
    }
  },
});
