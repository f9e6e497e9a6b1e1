/** A JSON number kept as written, so that integer fields can refuse "1.5" or "1e3" as Go does. */
export class GoNumber {
  constructor(readonly raw: string) {}
}

/** A JSON object with its keys in order (duplicates kept; the last one wins when decoding). */
export class GoObject {
  constructor(readonly entries: ReadonlyArray<readonly [string, GoValue]>) {}
}

export type GoValue = null | boolean | string | GoNumber | GoValue[] | GoObject;

/**
 * A syntax error worded as Go's encoding/json words it ("EOF", "unexpected EOF", "invalid character …"); the API
 * answers it as `FP_BAD_REQUEST_BODY`.
 */
export class GoJsonSyntaxError extends Error {
  readonly code = "FP_JSON_SYNTAX";
  constructor(message: string) {
    super(message);
    this.name = "GoJsonSyntaxError";
  }
}

/**
 * Reads the first JSON value of `text` as Go's json.Decoder does: leading whitespace skipped, anything after the
 * value ignored, Go's error texts.
 */
export function decodeFirstValue(text: string): GoValue {
  const reader = new Reader(text);
  reader.skipSpace();
  if (reader.atEnd()) throw new GoJsonSyntaxError("EOF");
  return reader.value();
}

const LITERALS: Record<string, [string, GoValue]> = { t: ["true", true], f: ["false", false], n: ["null", null] };

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && " \t\n\r".includes(this.text[this.pos])) this.pos++;
  }

  value(): GoValue {
    const c = this.peek();
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    if (LITERALS[c]) return this.literal(...LITERALS[c]);
    throw invalid(c, "looking for beginning of value");
  }

  private peek(): string {
    if (this.atEnd()) throw new GoJsonSyntaxError("unexpected EOF");
    return this.text[this.pos];
  }

  private object(): GoObject {
    this.pos++;
    const entries: Array<[string, GoValue]> = [];
    this.skipSpace();
    if (this.peek() === "}") {
      this.pos++;
      return new GoObject(entries);
    }
    for (;;) {
      const c = this.peek();
      if (c !== '"') throw invalid(c, "looking for beginning of object key string");
      const key = this.string();
      this.skipSpace();
      const colon = this.peek();
      if (colon !== ":") throw invalid(colon, "after object key");
      this.pos++;
      this.skipSpace();
      entries.push([key, this.value()]);
      this.skipSpace();
      const next = this.peek();
      this.pos++;
      if (next === "}") return new GoObject(entries);
      if (next !== ",") throw invalid(next, "after object key:value pair");
      this.skipSpace();
    }
  }

  private array(): GoValue[] {
    this.pos++;
    const items: GoValue[] = [];
    this.skipSpace();
    if (this.peek() === "]") {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value());
      this.skipSpace();
      const next = this.peek();
      this.pos++;
      if (next === "]") return items;
      if (next !== ",") throw invalid(next, "after array element");
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === '"') break;
      if (c === "\\") {
        this.pos++;
        const e = this.peek();
        if (e === "u") {
          for (let i = 1; i <= 4; i++) {
            this.pos++;
            const h = this.peek();
            if (!/[0-9a-fA-F]/.test(h)) throw invalid(h, "in \\u hexadecimal character escape");
          }
        } else if (!'"\\/bfnrt'.includes(e)) {
          throw invalid(e, "in string escape code");
        }
      } else if (c < " ") {
        throw invalid(c, "in string literal");
      }
      this.pos++;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): GoNumber {
    const start = this.pos;
    if (this.text[this.pos] === "-") this.pos++;
    const first = this.peek();
    if (first === "0") this.pos++;
    else if (first >= "1" && first <= "9") this.digits();
    else throw invalid(first, "in numeric literal");
    if (this.text[this.pos] === ".") {
      this.pos++;
      const d = this.peek();
      if (!(d >= "0" && d <= "9")) throw invalid(d, "after decimal point in numeric literal");
      this.digits();
    }
    if (this.text[this.pos] === "e" || this.text[this.pos] === "E") {
      this.pos++;
      if (this.text[this.pos] === "+" || this.text[this.pos] === "-") this.pos++;
      const d = this.peek();
      if (!(d >= "0" && d <= "9")) throw invalid(d, "in exponent of numeric literal");
      this.digits();
    }
    return new GoNumber(this.text.slice(start, this.pos));
  }

  private digits(): void {
    while (!this.atEnd() && this.text[this.pos] >= "0" && this.text[this.pos] <= "9") this.pos++;
  }

  private literal(word: string, value: GoValue): GoValue {
    for (let i = 0; i < word.length; i++, this.pos++) {
      const c = this.peek();
      if (c !== word[i]) throw invalid(c, `in literal ${word} (expecting ${quoteChar(word[i])})`);
    }
    return value;
  }
}

function invalid(c: string, context: string): GoJsonSyntaxError {
  return new GoJsonSyntaxError(`invalid character ${quoteChar(c)} ${context}`);
}

/** Go's quoteChar: 'x', '\'', '"', '\n', '\x01'. */
export function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const escapes: Record<string, string> = {
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
    "\x07": "\\a",
  };
  if (escapes[c]) return `'${escapes[c]}'`;
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, "0")}'`;
  return `'${c}'`;
}
