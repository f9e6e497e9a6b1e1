/** What one test of a subset found: it still fails the same way, it passes, or the time budget is spent. */
export type Outcome = "fails" | "passes" | "out of time";

/**
 * Delta debugging (Zeller's ddmin) over `items`, which fail together: tries chunks, then their complements, at a
 * finer split each round, until no single item can be left out without the failure going away (1-minimal), or
 * `test` answers "out of time". Returns the smallest failing subset found, in the items' order, and whether it is
 * 1-minimal. A subset is tested once.
 */
export async function ddmin<T>(
  items: readonly T[],
  test: (subset: T[]) => Promise<Outcome>,
): Promise<{ items: T[]; minimal: boolean }> {
  let current = [...items];
  let n = 2;
  const seen = new Map<string, Outcome>();
  const key = (xs: T[]) => xs.map((x) => items.indexOf(x)).join(",");
  const tryOne = async (xs: T[]): Promise<Outcome> => {
    const k = key(xs);
    if (!seen.has(k)) seen.set(k, await test(xs));
    return seen.get(k)!;
  };
  while (current.length >= 2) {
    const chunks = split(current, Math.min(n, current.length));
    let next: { items: T[]; n: number } | undefined;
    for (const c of chunks) {
      const o = await tryOne(c);
      if (o === "out of time") return { items: current, minimal: false };
      if (o === "fails") {
        next = { items: c, n: 2 };
        break;
      }
    }
    if (!next && chunks.length > 2) {
      for (const c of chunks) {
        const rest = current.filter((x) => !c.includes(x));
        const o = await tryOne(rest);
        if (o === "out of time") return { items: current, minimal: false };
        if (o === "fails") {
          next = { items: rest, n: Math.max(n - 1, 2) };
          break;
        }
      }
    }
    if (next) {
      current = next.items;
      n = next.n;
    } else if (n >= current.length) break;
    else n = Math.min(current.length, n * 2);
  }
  return { items: current, minimal: true };
}

/** `xs` in `n` nearly equal consecutive chunks. */
function split<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor((xs.length - start) / (n - i));
    out.push(xs.slice(start, end));
    start = end;
  }
  return out.filter((c) => c.length > 0);
}
