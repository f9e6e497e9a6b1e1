import { test } from "node:test";
import { expect } from "chai";

test("chai loads through require on Node 20", () => {
  expect(1 + 1).to.equal(2);
});
