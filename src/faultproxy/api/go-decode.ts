import { GoNumber, GoObject, type GoValue } from "./go-json";

/** Go field types the API decodes into. */
export type GoFieldType = "string" | "bool" | "int64" | "int" | "float32";

/** A Go struct: its name in error texts ("" for an anonymous one) and its JSON fields. */
export interface GoStruct {
  readonly name: string;
  readonly fields: Readonly<Record<string, GoFieldType>>;
}

/** A type mismatch worded as Go's json.UnmarshalTypeError; the API answers it as `FP_BAD_REQUEST_BODY`. */
export class GoTypeError extends Error {
  readonly code = "FP_JSON_TYPE";
  constructor(message: string) {
    super(message);
    this.name = "GoTypeError";
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;

/** What Go calls a JSON value in type errors. */
export function goKind(value: GoValue): string {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (value instanceof GoNumber) return "number";
  if (Array.isArray(value)) return "array";
  if (value instanceof GoObject) return "object";
  return "null";
}

/** The object's entries keyed by field: exact key match first, then case-insensitive; later keys win. */
export function matchFields(object: GoObject, fields: readonly string[]): Map<string, GoValue> {
  const found = new Map<string, GoValue>();
  for (const [key, value] of object.entries) {
    const field = fields.find((f) => f === key) ?? fields.find((f) => f.toLowerCase() === key.toLowerCase());
    if (field !== undefined) found.set(field, value);
  }
  return found;
}

/**
 * Decodes a JSON value into a Go struct: null leaves it alone (undefined), fields that are absent or null are
 * left out, and the first type mismatch is thrown with Go's text.
 */
export function decodeStruct(
  value: GoValue,
  struct: GoStruct,
  goType: string,
  path = "",
): Record<string, unknown> | undefined {
  if (value === null) return undefined;
  if (!(value instanceof GoObject)) {
    if (path === "") throw new GoTypeError(`json: cannot unmarshal ${goKind(value)} into Go value of type ${goType}`);
    throw fieldError(goKind(value), struct.name, path, goType);
  }
  const result: Record<string, unknown> = {};
  for (const [field, fieldValue] of matchFields(value, Object.keys(struct.fields))) {
    if (fieldValue === null) continue;
    result[field] = decodeScalar(fieldValue, struct.fields[field], struct.name, path + field);
  }
  return result;
}

function decodeScalar(value: GoValue, type: GoFieldType, structName: string, path: string): unknown {
  const mismatch = (what: string): GoTypeError => fieldError(what, structName, path, type);
  switch (type) {
    case "string":
      if (typeof value !== "string") throw mismatch(goKind(value));
      return value;
    case "bool":
      if (typeof value !== "boolean") throw mismatch(goKind(value));
      return value;
    case "int":
    case "int64": {
      if (!(value instanceof GoNumber)) throw mismatch(goKind(value));
      if (!/^-?\d+$/.test(value.raw)) throw mismatch(`number ${value.raw}`);
      const n = BigInt(value.raw);
      if (n < INT64_MIN || n > INT64_MAX) throw mismatch(`number ${value.raw}`);
      return Number(n);
    }
    case "float32": {
      if (!(value instanceof GoNumber)) throw mismatch(goKind(value));
      const n = Number(value.raw);
      if (!Number.isFinite(n) || Math.abs(n) > FLOAT32_MAX) throw mismatch(`number ${value.raw}`);
      return shortestFloat32(n);
    }
  }
}

export function fieldError(what: string, structName: string, path: string, type: string): GoTypeError {
  return new GoTypeError(`json: cannot unmarshal ${what} into Go struct field ${structName}.${path} of type ${type}`);
}

/** Rounds to float32 and returns the shortest decimal that reads back as the same float32 (0.2 → 0.2). */
export function shortestFloat32(n: number): number {
  const f = Math.fround(n);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}
