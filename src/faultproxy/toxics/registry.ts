import { bandwidth } from "./bandwidth";
import { latency } from "./latency";
import { limitData } from "./limit-data";
import { noop } from "./noop";
import { resetPeer } from "./reset-peer";
import { slicer } from "./slicer";
import { slowClose } from "./slow-close";
import { timeout } from "./timeout";
import type { ToxicDefinition } from "./toxic";

const registry = new Map<string, ToxicDefinition>();

/** Adds (or replaces) a toxic type, keyed by its type name. */
export function registerToxic(definition: ToxicDefinition): void {
  registry.set(definition.type, definition);
}

export function toxicDefinition(type: string): ToxicDefinition | undefined {
  return registry.get(type);
}

export function toxicTypes(): string[] {
  return [...registry.keys()];
}

for (const definition of [latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, noop]) {
  registerToxic(definition);
}
