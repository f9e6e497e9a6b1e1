import { describe, test } from "node:test";
import { expect } from "chai";
import type { FaultArgValue, StartedLab } from "../lab";
import { registerSlowStart } from "../lab/faults/slow-start-test-kit";
import { consoleHelp, execute } from "./console";

registerSlowStart();

/** A started lab whose faults only note what they were asked. */
function fakeLab() {
  const calls: [string, readonly FaultArgValue[]][] = [];
  const lab = {
    faults: {
      apply: async (verb: string, args: readonly FaultArgValue[] = []) => {
        calls.push([verb, args]);
        return "f1";
      },
    },
  } as unknown as StartedLab;
  return { lab, calls };
}

describe("exlab up console", () => {
  test("lists every verb of the fault table, a registered one included, in the help's columns", () => {
    const help = consoleHelp().split("\n");
    expect(help.slice(3, 6)).to.deep.equal([
      "  cut <a> <b>                    blackhole <a> <b>             heal [<a> <b>]  (no names: everything)",
      "  isolate <name>                 one-way <from> <to>           latency <a> <b> <duration> [<jitter>]",
      "  bandwidth <a> <b> <KB/s>       slow-start <a> <b> <delayMs>",
    ]);
    expect(help[0]).to.equal("commands:");
    expect(help.at(-1)).to.equal("  help                           quit");
  });

  test("parses a fault command by its verb's arguments and applies it through lab.faults.apply", async () => {
    const { lab, calls } = fakeLab();
    expect(await execute(lab, "slow-start alpha beta 300ms")).to.equal("slow-start alpha ⇄ beta (300 ms to start)");
    expect(await execute(lab, "one-way gamma alpha")).to.equal("gamma can no longer reach alpha");
    const latency = await execute(lab, "latency alpha beta 200ms 20ms");
    expect(latency).to.equal("link alpha ⇄ beta: 200 ms latency ± 20 ms");
    expect(await execute(lab, "latency alpha beta 1s")).to.equal("link alpha ⇄ beta: 1000 ms latency");
    expect(await execute(lab, "bandwidth alpha beta 8")).to.equal("link alpha ⇄ beta limited to 8 KB/s");
    expect(await execute(lab, "cut alpha beta")).to.equal("link alpha ⇄ beta cut");
    expect(await execute(lab, "heal alpha beta")).to.equal("link alpha ⇄ beta healed");
    expect(await execute(lab, "  heal ")).to.equal("the network healed");
    expect(await execute(lab, "isolate gamma")).to.equal("gamma isolated");
    expect(calls).to.deep.equal([
      ["slow-start", ["alpha", "beta", 300]],
      ["one-way", ["gamma", "alpha"]],
      ["latency", ["alpha", "beta", 200, 20]],
      ["latency", ["alpha", "beta", 1000]],
      ["bandwidth", ["alpha", "beta", 8]],
      ["cut", ["alpha", "beta"]],
      ["heal", ["alpha", "beta"]],
      ["heal", []],
      ["isolate", ["gamma"]],
    ]);
  });

  test("says how to write a fault command it cannot parse, and lists the commands for an unknown one", async () => {
    const { lab, calls } = fakeLab();
    await expectRejection(execute(lab, "slow-start alpha"), /^usage: slow-start <a> <b> <delayMs>$/);
    await expectRejection(execute(lab, "bandwidth alpha beta fast"), /bandwidth: "fast" is not a non-negative number/);
    await expectRejection(execute(lab, "oneway alpha beta"), /unknown command "oneway"\ncommands:[^]*one-way <from>/);
    expect(calls).to.deep.equal([]);
  });
});

async function expectRejection(p: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "it should have been refused").to.be.instanceOf(Error);
  expect((err as Error).message).to.match(message);
}
