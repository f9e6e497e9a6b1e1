import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { expect } from "chai";

// The checks live in scripts/error-catalogue.js (also runnable by hand); this file runs from dist/.
const root = path.join(__dirname, "..");
type Codes = Map<string, Set<string>>;
const catalogue = require(path.join(root, "scripts", "error-catalogue.js")) as {
  collectErrorCodes(srcDir: string): { codes: Codes; problems: string[] };
  readmeErrorRows(markdown: string): { code: string; classes: string[] }[];
  compareCatalogue(codes: Codes, rows: { code: string; classes: string[] }[]): string[];
  checkErrorCatalogue(root?: string): { codes: Codes; problems: string[] };
};

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const owners = (codes: Codes) => Object.fromEntries([...codes].map(([code, classes]) => [code, [...classes].sort()]));

test("README's Errors section lists exactly the codes of src/'s error classes, each with a class that has it", () => {
  const { codes, problems } = catalogue.checkErrorCatalogue(root);
  expect(problems).to.deep.equal([]);
  expect(owners(codes)).to.include.deep.keys("LAB_STATE", "FP_BAD_ADDRESS", "EXCHANGE_<ExchangeErrorCode>", "<number>");
  expect(owners(codes)["MACHINE_BAD_SPEC"]).to.include("SpecError");
});

test("the collector reads unions, templates, literals and narrowed bases, and flags errors without codes", () => {
  const src = mkdtempSync(path.join(tmpdir(), "exlab-errors-"));
  dirs.push(src);
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
    writeFileSync(path.join(src, file), text);
  };
  write(
    "a/errors.ts",
    [
      'type BCode = "X";',
      'export type ACode = "A_ONE" | "A_TWO" | `A_${BCode}`;',
      "export class AError extends Error {",
      "  constructor(readonly code: ACode, message: string) { super(message); }",
      "}",
      "export class OneError extends AError {",
      '  declare readonly code: "A_ONE";',
      '  constructor() { super("A_ONE", "one"); }',
      "}",
      'export class LiteralError extends Error { readonly code = "LIT"; }',
      "export class Coded<C extends string = string> extends Error {",
      "  constructor(readonly code: C) { super(code); }",
      "}",
      'export class FromCoded extends Coded<"FROM_CODED"> {}',
      "export class Numbered extends Error { constructor(readonly code: number) { super(); } }",
      "export class NoCode extends Error {}",
      "export class StringCode extends Error { readonly code: string = 'S'; }",
      'export class NotAnError { readonly code = "NOPE"; }',
    ].join("\n"),
  );
  write("a/errors.test.ts", 'export class TestOnly extends Error { readonly code = "TEST_ONLY"; }\n');
  const { codes, problems } = catalogue.collectErrorCodes(src);
  expect(owners(codes)).to.deep.equal({
    A_ONE: ["AError", "OneError"],
    A_TWO: ["AError"],
    "A_<BCode>": ["AError"],
    LIT: ["LiteralError"],
    FROM_CODED: ["FromCoded"],
    "<number>": ["Numbered"],
  });
  expect(problems).to.have.length(2);
  expect(problems[0]).to.match(/^NoCode \(a[/\\]errors\.ts\) is an error without a `code`$/);
  expect(problems[1]).to.match(/^StringCode \(a[/\\]errors\.ts\) has a `code` of type string; give it literal codes$/);
});

test("the README comparison finds missing, unknown, duplicated and misattributed codes", () => {
  const readme = [
    "# x",
    "| `OUTSIDE` | `AError` | before the section: not read |",
    "## Errors",
    "| code | class | meaning |",
    "|---|---|---|",
    "| `A_ONE` | `OneError`, `AError` | fine |",
    "| `A_TWO` | `OneError` | wrong class |",
    "| `A_TWO` | `AError` | twice |",
    "| `GONE` | `AError` | nothing carries it |",
    "## Next",
    "| `AFTER` | `AError` | after the section: not read |",
  ].join("\n");
  const rows = catalogue.readmeErrorRows(readme);
  expect(rows.map((r) => r.code)).to.deep.equal(["A_ONE", "A_TWO", "A_TWO", "GONE"]);
  const codes: Codes = new Map([
    ["A_ONE", new Set(["AError", "OneError"])],
    ["A_TWO", new Set(["AError"])],
    ["LIT", new Set(["LiteralError"])],
  ]);
  expect(catalogue.compareCatalogue(codes, rows)).to.deep.equal([
    "README says OneError carries A_TWO; the classes that do: AError",
    "README lists A_TWO twice",
    "README lists GONE, which no error class carries",
    "README's Errors section misses LIT (LiteralError)",
  ]);
});
