import { after, describe, test } from "node:test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { Journal, readJournal } from "./journal";
import type { MachineLogEntry } from "./machine-log";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-journal-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const entry = (mseq: number): MachineLogEntry => ({
  mseq,
  time: 1000 + mseq,
  process: "p",
  kind: "lifecycle",
  event: { type: "stopped", pid: 7, run: mseq },
});

describe("machine journal", () => {
  test("reads back what was appended, in order, past `since`", () => {
    const file = path.join(dir, "a.ndjson");
    const j = new Journal(file);
    j.append([entry(1), entry(2)]);
    j.append([]);
    j.append([entry(3)]);
    expect(readJournal(file, 0)).to.deep.equal([entry(1), entry(2), entry(3)]);
    expect(readJournal(file, 2)).to.deep.equal([entry(3)]);
    expect(readJournal(file, 3)).to.deep.equal([]);
    j.close();
    j.append([entry(4)]);
    expect(
      readJournal(file, 0).map((e) => e.mseq),
      "nothing is written after close",
    ).to.deep.equal([1, 2, 3]);
  });

  test("a new journal starts empty; a torn last line is left out; a missing file is no entries", () => {
    const file = path.join(dir, "b.ndjson");
    fs.writeFileSync(file, JSON.stringify(entry(1)) + "\n");
    const j = new Journal(file);
    expect(readJournal(file, 0), "truncated by a new supervisor").to.deep.equal([]);
    j.append([entry(1), entry(2)]);
    fs.appendFileSync(file, JSON.stringify(entry(3)).slice(0, 20));
    expect(readJournal(file, 0).map((e) => e.mseq)).to.deep.equal([1, 2]);
    j.close();
    expect(readJournal(path.join(dir, "none.ndjson"), 0)).to.deep.equal([]);
  });
});
