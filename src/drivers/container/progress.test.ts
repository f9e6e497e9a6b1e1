import { describe, test } from "node:test";
import { Readable } from "node:stream";
import { expect } from "chai";
import { readProgress } from "./progress";

const id = `sha256:${"ab".repeat(32)}`;

describe("readProgress", () => {
  test("joins JSON lines split across chunks and keeps build output and the image id", async () => {
    const text = [
      JSON.stringify({ stream: "Step 1/2 : FROM exlab-base:x\n" }),
      JSON.stringify({ stream: " ---> 123\n" }),
      JSON.stringify({ aux: { ID: id } }),
      JSON.stringify({ stream: "Successfully tagged m:1\n" }),
    ].join("\r\n");
    const chunks = [text.slice(0, 17), text.slice(17, 60), text.slice(60)];
    const p = await readProgress(Readable.from(chunks.map((c) => Buffer.from(c))));
    expect(p.lines).to.deep.equal(["Step 1/2 : FROM exlab-base:x", " ---> 123", "Successfully tagged m:1"]);
    expect(p.imageId).to.equal(id);
    expect(p.error).to.equal(undefined);
  });

  test("reports the first engine error and an import's status id", async () => {
    const text = `${JSON.stringify({ status: id })}\n${JSON.stringify({ errorDetail: { message: "no space" }, error: "no space" })}\n{"error":"later"}`;
    const p = await readProgress(Readable.from([text]));
    expect(p.imageId).to.equal(id);
    expect(p.error).to.equal("no space");
  });
});
