import { describe, test } from "node:test";
import { expect } from "chai";
import {
  formatMs,
  holdFor,
  HoldBrokenError,
  notYet,
  ok,
  pollUntil,
  show,
  systemClock,
  WaitTimeoutError,
  type Clock,
} from "./wait";

/** A clock that only moves when the wait sleeps (or a look spends time): the tests never wait. */
function fakeClock(): Clock & { t: number; sleeps: number[] } {
  const c = {
    t: 0,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

describe("pollUntil", () => {
  test("resolves with the value of the first ok look, looking every intervalMs", async () => {
    const clock = fakeClock();
    let looks = 0;
    const value = await pollUntil(() => (++looks === 3 ? ok("ready") : notYet(`look ${looks}`)), {
      describe: "ready",
      deadlineMs: 1000,
      intervalMs: 100,
      clock,
    });
    expect(value).to.equal("ready");
    expect(looks).to.equal(3);
    expect(clock.sleeps).to.deep.equal([100, 100]);
  });

  test("async looks; the time a look takes counts against the interval", async () => {
    const clock = fakeClock();
    let looks = 0;
    const value = await pollUntil(
      async () => {
        clock.t += 30;
        return ++looks === 2 ? ok(looks) : notYet("no");
      },
      { describe: "two looks", deadlineMs: 1000, intervalMs: 100, clock },
    );
    expect(value).to.equal(2);
    expect(clock.sleeps).to.deep.equal([70]);
  });

  test("times out with a coded error naming what was awaited and what the last look saw", async () => {
    const clock = fakeClock();
    let looks = 0;
    const err = await rejection(
      pollUntil(() => notYet(`${++looks} link(s)`), { describe: "no links", deadlineMs: 250, intervalMs: 100, clock }),
    );
    expect(err).to.be.instanceOf(WaitTimeoutError);
    const e = err as WaitTimeoutError;
    expect(e.code).to.equal("WAIT_TIMEOUT");
    expect(e.seen).to.equal("4 link(s)");
    expect(e.describe).to.equal("no links");
    expect(e.deadlineMs).to.equal(250);
    expect(e.message).to.equal("timed out after 250ms waiting for no links; it saw: 4 link(s)");
    expect(e.cause).to.equal(undefined);
    expect(clock.sleeps).to.deep.equal([100, 100, 50]);
    expect(clock.t).to.equal(250);
  });

  test("a look that throws counts as not yet; the last thrown error is the cause", async () => {
    const clock = fakeClock();
    const boom = new Error("connection refused");
    let looks = 0;
    const seenAfterThrow = await pollUntil(
      () => {
        if (++looks === 1) throw boom;
        return looks === 2 ? ok("up") : notYet("down");
      },
      { describe: "up", deadlineMs: 500, intervalMs: 50, clock },
    );
    expect(seenAfterThrow).to.equal("up");

    const err = (await rejection(
      pollUntil(
        () => {
          throw boom;
        },
        { describe: "the API to answer", deadlineMs: 100, intervalMs: 50, clock },
      ),
    )) as WaitTimeoutError;
    expect(err.seen).to.equal(boom);
    expect(err.cause).to.equal(boom);
    expect(err.message).to.equal("timed out after 100ms waiting for the API to answer; it saw: connection refused");

    let n = 0;
    const later = (await rejection(
      pollUntil(
        () => {
          if (++n === 1) throw boom;
          return notYet("HTTP 503");
        },
        { describe: "200", deadlineMs: 100, intervalMs: 50, clock },
      ),
    )) as WaitTimeoutError;
    expect(later.seen).to.equal("HTTP 503");
    expect(later.cause).to.equal(boom);
  });

  test("maxIntervalMs doubles the pause up to it", async () => {
    const clock = fakeClock();
    await rejection(
      pollUntil(() => notYet(0), { describe: "x", deadlineMs: 200, intervalMs: 5, maxIntervalMs: 50, clock }),
    );
    expect(clock.sleeps.slice(0, 6)).to.deep.equal([5, 10, 20, 40, 50, 50]);
  });

  test("an aborted signal ends the wait with its reason, before the next look", async () => {
    const clock = fakeClock();
    const stop = new AbortController();
    const reason = new Error("exited early (code 1, signal null)");
    let looks = 0;
    const err = await rejection(
      pollUntil(
        () => {
          if (++looks === 2) stop.abort(reason);
          return notYet("no answer");
        },
        { describe: "answer", deadlineMs: 10_000, intervalMs: 10, signal: stop.signal, clock },
      ),
    );
    expect(err).to.equal(reason);
    expect(looks).to.equal(2);

    const already = AbortSignal.abort(reason);
    let never = 0;
    expect(
      await rejection(pollUntil(() => ok(++never), { describe: "x", deadlineMs: 1, signal: already, clock })),
    ).to.equal(reason);
    expect(never).to.equal(0);
  });

  test("the system clock's sleep ends early when the signal aborts", async () => {
    const stop = new AbortController();
    const started = Date.now();
    const slept = systemClock.sleep(60_000, stop.signal);
    stop.abort(new Error("stop"));
    await slept;
    expect(Date.now() - started).to.be.lessThan(1000);
    const err = await rejection(
      pollUntil(() => notYet("no"), { describe: "x", deadlineMs: 60_000, intervalMs: 60_000, signal: stop.signal }),
    );
    expect((err as Error).message).to.equal("stop");
  });
});

describe("holdFor", () => {
  test("resolves when every look in the window holds, with a look at its end", async () => {
    const clock = fakeClock();
    const at: number[] = [];
    await holdFor(
      () => {
        at.push(clock.t);
        return ok(undefined);
      },
      { describe: "never sees shop", windowMs: 250, intervalMs: 100, clock },
    );
    expect(at).to.deep.equal([0, 100, 200, 250]);
  });

  test("fails at the first look that does not hold, saying when and what it saw", async () => {
    const clock = fakeClock();
    let looks = 0;
    const err = await rejection(
      holdFor(() => (++looks === 3 ? notYet("it saw it: [shop]") : ok(undefined)), {
        describe: "buyer never sees shop",
        windowMs: 1000,
        intervalMs: 100,
        clock,
      }),
    );
    expect(err).to.be.instanceOf(HoldBrokenError);
    const e = err as HoldBrokenError;
    expect(e.code).to.equal("WAIT_HOLD_BROKEN");
    expect(looks).to.equal(3);
    expect(e.afterMs).to.equal(200);
    expect(e.windowMs).to.equal(1000);
    expect(e.seen).to.equal("it saw it: [shop]");
    expect(e.message).to.equal("buyer never sees shop did not hold for 1s: after 200ms it saw: it saw it: [shop]");
  });

  test("a look that throws ends the hold with its error; an abort with the signal's reason", async () => {
    const clock = fakeClock();
    const boom = new Error("unreachable");
    const err = await rejection(
      holdFor(
        () => {
          throw boom;
        },
        { describe: "x", windowMs: 100, clock },
      ),
    );
    expect(err).to.equal(boom);
    const stop = new AbortController();
    const reason = new Error("stopped");
    const aborted = await rejection(
      holdFor(
        () => {
          stop.abort(reason);
          return ok(undefined);
        },
        { describe: "x", windowMs: 1000, signal: stop.signal, clock },
      ),
    );
    expect(aborted).to.equal(reason);
  });
});

test("formatMs and show", () => {
  expect([formatMs(250), formatMs(3000), formatMs(1250), formatMs(12.6)]).to.deep.equal([
    "250ms",
    "3s",
    "1.25s",
    "13ms",
  ]);
  expect([
    show("text"),
    show(new Error("boom")),
    show(null),
    show(false),
    show(undefined),
    show({ a: 1 }),
  ]).to.deep.equal(["text", "boom", "null", "false", "undefined", '{"a":1}']);
});
