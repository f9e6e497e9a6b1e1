import { expect } from "chai";
import { describe, test } from "node:test";
import { decodeStruct, shortestFloat32 } from "./go-decode";
import { decodeFirstValue, GoNumber, GoObject } from "./go-json";

const syntaxError = (text: string): string => {
  try {
    decodeFirstValue(text);
  } catch (err) {
    return (err as Error).message;
  }
  return "no error";
};

describe("Go-flavoured JSON decoding", () => {
  test("reads only the first value and keeps numbers as written", () => {
    const value = decodeFirstValue('  {"a": [1.50, -2e3, true, null, "x\\n"]} {"ignored":');
    expect(value).to.be.instanceOf(GoObject);
    const [key, array] = (value as GoObject).entries[0];
    expect(key).to.equal("a");
    expect((array as unknown[]).map((v) => (v instanceof GoNumber ? v.raw : v))).to.deep.equal([
      "1.50",
      "-2e3",
      true,
      null,
      "x\n",
    ]);
    expect(decodeFirstValue("123abc")).to.deep.equal(new GoNumber("123"));
  });

  test("syntax errors carry encoding/json's texts", () => {
    const cases: Record<string, string> = {
      "": "EOF",
      "   \n": "EOF",
      "{": "unexpected EOF",
      '{"a":1': "unexpected EOF",
      x: "invalid character 'x' looking for beginning of value",
      "{a": "invalid character 'a' looking for beginning of object key string",
      '{"a" 1}': "invalid character '1' after object key",
      '{"a":1 "b"}': "invalid character '\"' after object key:value pair",
      "[1 2]": "invalid character '2' after array element",
      "[1,]": "invalid character ']' looking for beginning of value",
      "tru ": "invalid character ' ' in literal true (expecting 'e')",
      nul: "unexpected EOF",
      "-x": "invalid character 'x' in numeric literal",
      "1.x": "invalid character 'x' after decimal point in numeric literal",
      "1ex": "invalid character 'x' in exponent of numeric literal",
      '"\\q"': "invalid character 'q' in string escape code",
      '"\\u12g4"': "invalid character 'g' in \\u hexadecimal character escape",
      '"a\nb"': "invalid character '\\n' in string literal",
      "'": "invalid character '\\'' looking for beginning of value",
    };
    for (const [text, message] of Object.entries(cases))
      expect(syntaxError(text), JSON.stringify(text)).to.equal(message);
  });

  test("struct decoding: case-insensitive keys, null keeps defaults, Go's type errors", () => {
    const struct = {
      name: "Proxy",
      fields: { name: "string", enabled: "bool", rate: "int64", toxicity: "float32" },
    } as const;
    expect(
      decodeStruct(decodeFirstValue('{"NAME":"a","enabled":null,"rate":-7,"toxicity":0.1}'), struct, "toxiproxy.Proxy"),
    ).to.deep.equal({
      name: "a",
      rate: -7,
      toxicity: 0.1,
    });
    expect(decodeStruct(null, struct, "toxiproxy.Proxy")).to.equal(undefined);
    const error = (text: string): string => {
      try {
        decodeStruct(decodeFirstValue(text), struct, "toxiproxy.Proxy");
        return "no error";
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(error("[]")).to.equal("json: cannot unmarshal array into Go value of type toxiproxy.Proxy");
    expect(error('{"enabled":"yes"}')).to.equal(
      "json: cannot unmarshal string into Go struct field Proxy.enabled of type bool",
    );
    expect(error('{"rate":1e3}')).to.equal(
      "json: cannot unmarshal number 1e3 into Go struct field Proxy.rate of type int64",
    );
    expect(error('{"rate":9223372036854775808}')).to.equal(
      "json: cannot unmarshal number 9223372036854775808 into Go struct field Proxy.rate of type int64",
    );
    expect(error('{"toxicity":1e39}')).to.equal(
      "json: cannot unmarshal number 1e39 into Go struct field Proxy.toxicity of type float32",
    );
  });

  test("float32 values print in their shortest form, as Go prints a float32", () => {
    expect(shortestFloat32(0.2)).to.equal(0.2);
    expect(shortestFloat32(1)).to.equal(1);
    expect(shortestFloat32(0.30000001192092896)).to.equal(0.3);
    expect(shortestFloat32(1 / 3)).to.equal(0.33333334);
  });
});
