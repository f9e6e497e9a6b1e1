import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { expect } from "chai";
import type { RecordedSchedule, RunReport } from "../evidence";

// A random schedule replays from its seed: the same faults, targets and offsets from the step's start, on real
// processes; and the replay written beside the report does the same faults with no randomness at all.
const root = path.join(__dirname, "..", "..");
const feature = path.join(root, "src", "cucumber", "fixtures", "random-seed.feature");
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function exlab(args: string[]) {
  const report = mkdtempSync(path.join(tmpdir(), "exlab-random-"));
  dirs.push(report);
  const r = spawnSync(process.execPath, [path.join(root, "bin", "exlab.js"), "run", ...args, "--report", report], {
    cwd: root,
    env: { ...process.env, EXLAB_KEEP_LOGS: "" },
    encoding: "utf8",
    timeout: 120_000,
  });
  const run = JSON.parse(readFileSync(path.join(report, "report.json"), "utf8")) as RunReport;
  const scenario = run.scenarios[0];
  const schedule = scenario.history?.events.find((e): e is RecordedSchedule => e.kind === "schedule");
  const faults = (scenario.history?.events ?? []).flatMap((e) =>
    e.kind === "fault"
      ? [`${e.action} ${e.fault.type} ${e.fault.targets.join(",")}`]
      : e.kind === "lifecycle" && ["crashed", "stopped", "frozen", "thawed"].includes(e.state)
        ? [`${e.state} ${e.target}`]
        : [],
  );
  return {
    status: r.status,
    output: `${r.stdout}${r.stderr}`,
    report,
    scenario,
    schedule,
    faults,
    junit: readFileSync(path.join(report, "junit.xml"), "utf8"),
  };
}

/** The faults as each machine lived them, in order (across machines, actions due together may swap). */
const perMachine = (faults: string[]) => {
  const out: Record<string, string[]> = {};
  for (const f of faults)
    for (const m of new Set(
      f
        .split(" ")
        .pop()!
        .split(",")
        .map((t) => t.split("/")[0]),
    ))
      (out[m] ??= []).push(f);
  return out;
};

const planned = (s: RecordedSchedule | undefined) =>
  s?.actions.map((a) => `${a.fault} ${a.phase} ${a.at} ${a.step}`).sort();

describe("random fault schedules on real processes", () => {
  const first = exlab([feature, "--seed", "42"]);

  test("the seed is printed when the step starts, and kept in the report and the JUnit file", () => {
    expect(first.status, first.output).to.equal(0);
    expect(first.output).to.match(/random faults: seed 42, \d+ fault\(s\) in 5 seconds \(again: exlab run --seed 42/);
    expect(first.schedule?.seed).to.equal(42);
    expect(first.schedule!.faults.length).to.be.greaterThan(1);
    expect(first.junit).to.contain('<property name="seed" value="42"/>');
  });

  test("two runs with one seed realize identical schedules: same faults, targets and offsets", () => {
    const again = exlab([feature, "--seed", "42"]);
    expect(again.status, again.output).to.equal(0);
    expect(again.schedule!.faults).to.deep.equal(first.schedule!.faults);
    expect(planned(again.schedule)).to.deep.equal(planned(first.schedule));
    for (const a of again.schedule!.actions) expect(a.startedAt, a.step).to.be.at.least(a.at);
    expect(perMachine(again.faults)).to.deep.equal(perMachine(first.faults));
  });

  test("another seed, another schedule", () => {
    const other = exlab([feature, "--seed", "43"]);
    expect(other.schedule!.seed).to.equal(43);
    expect(other.schedule!.faults).not.to.deep.equal(first.schedule!.faults);
  });

  test("the replay written beside the report does the same faults with named steps", () => {
    const file = first.scenario.replay?.file;
    expect(file, "a replay file").to.be.a("string");
    const text = readFileSync(path.join(first.report, file!), "utf8");
    expect(text).not.to.match(/^\s*(When|And) random faults strike/m);
    expect(text).to.match(/^\s+When \d+ ms pass$/m);
    expect(text).to.contain("Then within 30 seconds the lab has recovered");
    const copy = path.join(first.report, "replay-copy.feature");
    writeFileSync(copy, text);
    const replayed = exlab([copy]);
    expect(replayed.status, replayed.output).to.equal(0);
    expect(replayed.schedule, "no random step in a replay").to.equal(undefined);
    expect(perMachine(replayed.faults)).to.deep.equal(perMachine(first.faults));
  });
});
