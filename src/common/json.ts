/**
 * Whether `actual` contains `expected`: objects by the keys `expected` names (others may be there too), arrays
 * element by element (same length), anything else equal. How a step's expected JSON answer is compared.
 */
export function containsJson(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => containsJson(actual[i], e))
    );
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(expected).every(([k, v]) => k in a && containsJson(a[k], v));
  }
  return Object.is(actual, expected);
}

/** JSON a step was given, or an error saying which argument is not JSON. */
export function parseJsonArgument(what: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not JSON (${(err as Error).message}): ${text}`, { cause: err });
  }
}
