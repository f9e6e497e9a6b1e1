import type { Direction } from "./stream";
import type { Attributes, ToxicDefinition } from "./toxics/toxic";

/** The JSON form of a toxic, keys in Toxiproxy's order. */
export interface ToxicJson {
  attributes: Attributes;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
}

/** A toxic on a proxy: its settings, shared by every link of its direction and updated in place. */
export class ToxicWrapper {
  constructor(
    readonly name: string,
    readonly definition: ToxicDefinition,
    /** The stream as the client spelled it (echoed back verbatim). */
    readonly stream: string,
    readonly direction: Direction,
    public toxicity: number,
    readonly attributes: Attributes,
  ) {}

  get type(): string {
    return this.definition.type;
  }

  toJSON(): ToxicJson {
    return {
      attributes: this.attributes,
      name: this.name,
      type: this.type,
      stream: this.stream,
      toxicity: this.toxicity,
    };
  }
}
