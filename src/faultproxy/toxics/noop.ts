import { INTERRUPTED } from "../stream";
import { defineToxic, type ToxicStub } from "./toxic";

/** Passes every chunk on unchanged. */
export async function passThrough(stub: ToxicStub): Promise<void> {
  for (;;) {
    const chunk = await stub.read();
    if (chunk === INTERRUPTED) return;
    if (chunk === null) return stub.close();
    await stub.write(chunk);
  }
}

export const noop = defineToxic({
  type: "noop",
  goType: "toxics.NoopToxic",
  attributes: {},
  pipe: passThrough,
});
