import { Document, LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } from "yaml";
import type { Node as YamlNode, Pair } from "yaml";
import type { Issue } from "./diagnostics";
import type { YamlPath } from "./types";

/** A parsed YAML document with what it takes to turn a YAML path into line:column. */
export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  /** The document as plain data (undefined when there were syntax errors). */
  data: unknown;
  /** YAML syntax errors, in the order found. */
  issues: Issue[];
}

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

const SYNTAX_HINTS: Record<string, string> = {
  DUPLICATE_KEY: "remove or rename one of the two keys: each key may appear once in a mapping",
  MULTIPLE_DOCS: "keep one topology per file: remove the `---` separator and what follows, or split the file",
  TAB_AS_INDENT: "indent with spaces; YAML does not allow tabs for indentation",
  BAD_INDENT: "align the keys of one mapping (and the items of one list) at the same column",
  MISSING_CHAR: "close the quote or bracket that was opened before this point",
  BLOCK_AS_IMPLICIT_KEY: "put a space after the colon, or quote the key",
  MULTILINE_IMPLICIT_KEY: "a key must fit on one line: check for a missing colon or quote above",
};

/** Parses YAML text keeping positions; syntax errors come back as issues at their position. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });
  const issues: Issue[] = doc.errors.map((e) => ({
    severity: "error",
    code: "YAML_SYNTAX",
    path: pathAt(doc, e.pos[0]),
    message: `YAML syntax error: ${e.message.replace(/ at line \d+, column \d+.*$/s, "")} (${e.code})`,
    hint:
      (/end with an? [\]}]/.test(e.message) ? SYNTAX_HINTS.MISSING_CHAR : SYNTAX_HINTS[e.code]) ??
      "check the YAML syntax near this point: quotes, brackets, colons and indentation",
    offset: e.pos[0],
  }));
  const data = issues.length === 0 ? doc.toJS({ maxAliasCount: 1000 }) : undefined;
  return { doc, lineCounter, data, issues };
}

/** The deepest YAML path whose node contains `offset` ([] for the document). */
export function pathAt(doc: Document, offset: number): YamlPath {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => contains(p.key, offset) || contains(p.value, offset));
      if (!pair) return path;
      path.push(keyOf(pair));
      if (contains(pair.key, offset)) return path;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => contains(item, offset));
      if (i < 0) return path;
      path.push(i);
      node = node.items[i];
    } else return path;
  }
}

/**
 * Where a YAML path is written. When the path goes further than the document (a defaulted key), the
 * position is that of the deepest part that exists: the key of the last mapping entry, or the list item.
 */
export function locate(parsed: Pick<ParsedYaml, "doc" | "lineCounter">, path: YamlPath, atKey = false): Position {
  let node: unknown = parsed.doc.contents;
  let keyOffset: number | undefined;
  let valueOffset = isNode(node) && node.range ? node.range[0] : 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => keyOf(p) === String(seg));
      if (!pair) return toPosition(parsed, keyOffset ?? valueOffset);
      keyOffset = offsetOf(pair.key) ?? valueOffset;
      valueOffset = offsetOf(pair.value) ?? keyOffset;
      node = pair.value;
      if (i === path.length - 1) return toPosition(parsed, atKey ? keyOffset : valueOffset);
    } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
      keyOffset = undefined;
      valueOffset = offsetOf(node.items[seg]) ?? valueOffset;
      node = node.items[seg];
    } else return toPosition(parsed, keyOffset ?? valueOffset);
  }
  return toPosition(parsed, valueOffset);
}

export function toPosition(parsed: Pick<ParsedYaml, "lineCounter">, offset: number): Position {
  const { line, col } = parsed.lineCounter.linePos(offset);
  return { line: Math.max(1, line), column: Math.max(1, col) };
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function offsetOf(n: unknown): number | undefined {
  return isNode(n) && (n as YamlNode).range ? (n as YamlNode).range![0] : undefined;
}

function contains(n: unknown, offset: number): boolean {
  if (!isNode(n) || !n.range) return false;
  return n.range[0] <= offset && offset < Math.max(n.range[1], n.range[0] + 1);
}
