import { symmetricInt, type Random } from "../random";
import { INTERRUPTED } from "../stream";
import { defineToxic } from "./toxic";

type SlicerAttributes = {
  average_size: number;
  size_variation: number;
  delay: number;
};

/** Cut points [start, end, start, end, …] splitting [start, end) around average ± variation bytes. */
export function slices(start: number, end: number, a: SlicerAttributes, random: Random, out: number[] = []): number[] {
  if (end - start - a.average_size <= a.size_variation) {
    out.push(start, end);
    return out;
  }
  const mid = start + Math.floor((end - start) / 2) + symmetricInt(random, a.size_variation);
  slices(start, mid, a, random, out);
  return slices(mid, end, a, random, out);
}

/** Splits each chunk into pieces of about average_size ± size_variation bytes, `delay` µs apart. */
export const slicer = defineToxic<SlicerAttributes>({
  type: "slicer",
  goType: "toxics.SlicerToxic",
  attributes: { average_size: "int", size_variation: "int", delay: "int" },
  validate(a) {
    if (a.average_size <= 0) return `slicer average_size must be a positive number of bytes, got ${a.average_size}`;
    if (a.size_variation < 0) return `slicer size_variation must not be negative, got ${a.size_variation}`;
    if (a.size_variation > a.average_size) {
      return `slicer size_variation (${a.size_variation}) must not exceed average_size (${a.average_size})`;
    }
    return undefined;
  },
  async pipe(stub, attributes) {
    for (;;) {
      const chunk = await stub.read();
      if (chunk === INTERRUPTED) return;
      if (chunk === null) return stub.close();
      const cuts = slices(0, chunk.data.length, attributes, stub.random);
      for (let i = 1; i < cuts.length; i += 2) {
        await stub.write({ data: chunk.data.subarray(cuts[i - 1], cuts[i]), time: chunk.time });
        if (!(await stub.sleepMicros(attributes.delay))) {
          const rest = chunk.data.subarray(cuts[i]);
          if (rest.length > 0) await stub.write({ data: rest, time: chunk.time });
          return;
        }
      }
    }
  },
});
