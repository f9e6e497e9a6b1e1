import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import { checkReportFifo } from "./report-fifo";

describe("I10 report FIFO", () => {
  test("a live report older than one already delivered is a violation naming both", () => {
    const b = new HistoryBuilder();
    const bill = b.process("alpha/billing").offer("billing");
    const web = b.process("beta/web");
    const sub = web.offer("web");
    for (const seq of [1, 2, 4, 3]) web.report({ publisher: bill, seq, subscriber: sub, subject: `s${seq}` });
    const v = checkReportFifo(b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain('received publication #3 (subject "s3")').and.contain('after #4 (subject "s4")');
    expect(
      v[0].events.map((e) => e.kind === "exchange" && e.event.type === "report" && e.event.publicationSeq),
    ).to.deep.equal([4, 3]);
  });

  test("clean: cache replay out of seq order on a new edge, then live; restarted subscriber and publisher start over", () => {
    const b = new HistoryBuilder();
    const billing = b.process("alpha/billing");
    let bill = billing.offer("billing");
    const web = b.process("beta/web");
    let sub = web.offer("web");
    for (const seq of [1, 2, 3])
      web.report({ publisher: bill, seq, subscriber: sub, subject: seq === 2 ? "status" : "rate" });
    web.report({ publisher: bill, seq: 3, subscriber: sub, subject: "rate", cached: true });
    web.report({ publisher: bill, seq: 2, subscriber: sub, subject: "status", cached: true });
    web.report({ publisher: bill, seq: 4, subscriber: sub, subject: "rate" });
    web.restart();
    sub = web.offer("web");
    web.report({ publisher: bill, seq: 3, subscriber: sub, subject: "rate", cached: true });
    web.report({ publisher: bill, seq: 5, subscriber: sub, subject: "rate" });
    billing.restart();
    bill = billing.offer("billing");
    web.report({ publisher: bill, seq: 1, subscriber: sub, subject: "rate" });
    expect(checkReportFifo(b.history())).to.deep.equal([]);
  });
});
