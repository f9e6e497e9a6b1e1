import { describe, test } from "node:test";
import { expect } from "chai";
import { ddmin, type Outcome } from "./ddmin";

/** A failure that needs every one of `culprits`; counts the tests. */
function oracle(culprits: number[], budget = Infinity) {
  const tried: number[][] = [];
  const test = async (xs: number[]): Promise<Outcome> => {
    if (tried.length >= budget) return "out of time";
    tried.push(xs);
    return culprits.every((c) => xs.includes(c)) ? "fails" : "passes";
  };
  return { test, tried };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("ddmin", () => {
  test("one culprit among 11 in a handful of tests", async () => {
    const o = oracle([7]);
    const r = await ddmin(range(11), o.test);
    expect(r).to.deep.equal({ items: [7], minimal: true });
    expect(o.tried.length).to.be.at.most(10);
  });

  test("two culprits far apart: both kept, nothing else", async () => {
    const o = oracle([2, 15]);
    expect(await ddmin(range(16), o.test)).to.deep.equal({ items: [2, 15], minimal: true });
  });

  test("no subset is tested twice", async () => {
    const o = oracle([3, 4, 9]);
    await ddmin(range(12), o.test);
    const keys = o.tried.map((t) => t.join(","));
    expect(new Set(keys).size).to.equal(keys.length);
  });

  test("out of time: the smallest failing set so far, not called minimal", async () => {
    const o = oracle([5], 2);
    const r = await ddmin(range(8), o.test);
    expect(r.minimal).to.equal(false);
    expect(r.items).to.include(5);
    expect(r.items.length).to.be.lessThan(8);
  });
});
