import { test } from "node:test";
import { expect } from "chai";
import { ExpectationError } from "./errors";
import { holdFor, notYet, ok, pollUntil } from "./wait";

// The lab's wording over the common primitive: each look spends a second of a clock that only looks move.
function ticking() {
  let t = 0;
  return { now: () => t, tick: () => (t += 1000) };
}

async function rejection(p: Promise<unknown>): Promise<ExpectationError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(ExpectationError);
    return err as ExpectationError;
  }
  throw new Error("expected a rejection");
}

test("pollUntil fails with an ExpectationError saying what was expected and what the last look saw", async () => {
  const c = ticking();
  const err = await rejection(
    pollUntil(
      "right/buyer never saw service shop",
      3000,
      async () => {
        c.tick();
        return notYet("it saw: []");
      },
      { now: c.now },
    ),
  );
  expect(err.message).to.equal("within 3s right/buyer never saw service shop; it saw: []");
  expect(err.seen).to.equal("it saw: []");
  expect(err.code).to.equal("LAB_EXPECTATION_FAILED");

  const thrown = await rejection(
    pollUntil(
      "the lab did not converge",
      1500,
      async () => {
        c.tick();
        throw new Error("connect ECONNREFUSED");
      },
      { now: c.now },
    ),
  );
  expect(thrown.message).to.equal("within 1.5s the lab did not converge; connect ECONNREFUSED");

  let n = 0;
  expect(await pollUntil("x", 3000, async () => (++n === 2 ? ok(n) : notYet("no")), { intervalMs: 1 })).to.equal(2);
});

test("holdFor fails at the first look that does not hold, saying after how long", async () => {
  const c = ticking();
  let looks = 0;
  const err = await rejection(
    holdFor(
      "buyer should never see service shop",
      5000,
      async () => {
        c.tick();
        return ++looks === 3 ? notYet("it saw it: [shop]") : ok(undefined);
      },
      { now: c.now },
    ),
  );
  expect(err.message).to.equal("for 5s buyer should never see service shop, but after 3s it saw it: [shop]");
  expect(err.seen).to.equal("it saw it: [shop]");
  await holdFor("holds", 2000, async () => (c.tick(), ok(undefined)), { now: c.now });
});
