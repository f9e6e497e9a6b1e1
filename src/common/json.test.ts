import { test } from "node:test";
import { expect } from "chai";
import { containsJson, parseJsonArgument } from "./json";

test("containsJson: objects by the keys expected names, arrays element by element, values equal", () => {
  const answer = { service: "orders", args: { item: "book", qty: 2 }, tags: ["a", "b"], ok: true, none: null };
  expect(containsJson(answer, { service: "orders" })).to.equal(true);
  expect(containsJson(answer, { args: { item: "book" } })).to.equal(true);
  expect(containsJson(answer, { tags: ["a", "b"], ok: true, none: null })).to.equal(true);
  expect(containsJson(answer, { service: "ledger" })).to.equal(false);
  expect(containsJson(answer, { args: { item: "book", colour: "red" } })).to.equal(false);
  expect(containsJson(answer, { tags: ["a"] }), "arrays compare whole").to.equal(false);
  expect(containsJson(answer, { ok: "true" }), "no coercion").to.equal(false);
  expect(containsJson([{ a: 1, b: 2 }], [{ a: 1 }])).to.equal(true);
  expect(containsJson({ a: 1 }, [1])).to.equal(false);
  expect(containsJson(3, 3)).to.equal(true);
});

test("parseJsonArgument names the argument that is not JSON", () => {
  expect(parseJsonArgument("the arguments", '{"a":1}')).to.deep.equal({ a: 1 });
  expect(() => parseJsonArgument("the arguments", "{a:1}")).to.throw(/^the arguments is not JSON .*: \{a:1\}$/);
});
