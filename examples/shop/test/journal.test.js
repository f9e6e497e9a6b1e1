"use strict";
// The order store's durability on its own: the journal (append, fsync, read back, torn last line) and the store's
// rules (idempotent by id, conflicts, bad arguments) on top of it. No exchange, no lab.

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { after, describe, test } = require("node:test");
const assert = require("node:assert/strict");
const { Journal } = require("../services/journal");
const { orderStore } = require("../services/orders");

const dirs = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tmp() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "shop-journal-"));
  dirs.push(d);
  return d;
}

describe("journal", () => {
  test("records appended are read back in order by the next open, in a directory it creates", () => {
    const dir = path.join(tmp(), "data", "orders");
    const j = Journal.open(dir);
    assert.deepEqual(j.records, []);
    j.append({ id: "a" });
    j.append({ id: "b", note: "ü ✓" });
    j.close();
    const again = Journal.open(dir);
    assert.deepEqual(again.records, [{ id: "a" }, { id: "b", note: "ü ✓" }]);
    assert.equal(again.tornBytes, 0);
    again.close();
  });

  test("a torn last line (a crash mid-append) is dropped and cut off, and the next append starts clean", () => {
    const dir = tmp();
    const j = Journal.open(dir);
    j.append({ id: "a" });
    j.close();
    fs.appendFileSync(path.join(dir, "journal.ndjson"), '{"id":"b","it');
    const again = Journal.open(dir);
    assert.deepEqual(again.records, [{ id: "a" }]);
    assert.equal(again.tornBytes, 13);
    again.append({ id: "c" });
    again.close();
    assert.equal(fs.readFileSync(path.join(dir, "journal.ndjson"), "utf8"), '{"id":"a"}\n{"id":"c"}\n');
  });

  test("a complete line that is not JSON is damage: the journal refuses to open rather than truncate", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "journal.ndjson"), '{"id":"a"}\nnot json\n{"id":"c"}\n');
    assert.throws(() => Journal.open(dir), /journal\.ndjson: the line at byte 11 is not JSON/);
    assert.equal(fs.readFileSync(path.join(dir, "journal.ndjson"), "utf8").length, 31, "the file is left as it was");
  });
});

describe("order store", () => {
  const failure = (code) => (err) => err.name === "ServiceFailure" && err.code === code;

  test("place is idempotent by id, and what was placed is there after a reopen (a restart)", () => {
    const dir = tmp();
    const j = Journal.open(dir, "orders.ndjson");
    const store = orderStore(j);
    assert.deepEqual(store.place({ id: "o-1", item: "book", qty: 2 }), { accepted: true, id: "o-1" });
    assert.deepEqual(store.place({ id: "o-1", item: "book", qty: 2 }), { accepted: true, id: "o-1", duplicate: true });
    assert.deepEqual(store.place({ id: "o-2", item: "mug", qty: 1 }), { accepted: true, id: "o-2" });
    assert.deepEqual(store.count(), { count: 2 });
    j.close();
    const lines = fs.readFileSync(path.join(dir, "orders.ndjson"), "utf8").trim().split("\n");
    assert.equal(lines.length, 2, "the duplicate was not written again");

    const reopened = orderStore(Journal.open(dir, "orders.ndjson"));
    assert.deepEqual(reopened.count(), { count: 2 });
    assert.deepEqual(reopened.get({ id: "o-1" }), { id: "o-1", item: "book", qty: 2 });
    assert.deepEqual(reopened.list(), {
      orders: [
        { id: "o-1", item: "book", qty: 2 },
        { id: "o-2", item: "mug", qty: 1 },
      ],
    });
    assert.deepEqual(reopened.place({ id: "o-2", item: "mug", qty: 1 }), {
      accepted: true,
      id: "o-2",
      duplicate: true,
    });
  });

  test("the same id with another order is a conflict (409); bad arguments 400; an unknown id 404", () => {
    const store = orderStore(Journal.open(tmp()));
    store.place({ id: "o-1", item: "book", qty: 1 });
    assert.throws(() => store.place({ id: "o-1", item: "book", qty: 3 }), failure(409));
    assert.throws(() => store.place({ item: "book", qty: 1 }), failure(400));
    assert.throws(() => store.place({ id: "o-2", item: "book", qty: 0 }), failure(400));
    assert.throws(() => store.place({ id: "o-2", qty: 1 }), failure(400));
    assert.throws(() => store.place(undefined), failure(400));
    assert.throws(() => store.get({ id: "nope" }), failure(404));
    assert.deepEqual(store.count(), { count: 1 });
  });
});
