import { expect } from "chai";
import { describe, test } from "node:test";
import { formatTcpAddress, joinHostPort, parsePort, resolvedListen, splitHostPort } from "./listen-address";

describe("listen addresses resolved as Go resolves them", () => {
  test("split host and port with Go's error texts", () => {
    expect(splitHostPort("localhost:0")).to.deep.equal({ host: "localhost", port: "0" });
    expect(splitHostPort("[::1]:80")).to.deep.equal({ host: "::1", port: "80" });
    expect(splitHostPort(":80")).to.deep.equal({ host: "", port: "80" });
    const cases: Record<string, string> = {
      local373: "address local373: missing port in address",
      "::1:80": "address ::1:80: too many colons in address",
      "[::1:80": "address [::1:80: missing ']' in address",
      "[::1]": "address [::1]: missing port in address",
      "a]:80": "address a]:80: unexpected ']' in address",
    };
    for (const [input, message] of Object.entries(cases)) expect(() => splitHostPort(input), input).to.throw(message);
  });

  test("ports: numbers in range, empty = 0", () => {
    expect(parsePort("")).to.equal(0);
    expect(parsePort("8474")).to.equal(8474);
    expect(() => parsePort("99999")).to.throw("address 99999: invalid port");
    expect(() => parsePort("http")).to.throw("lookup tcp/http: unknown port");
  });

  test("the 'differs' form: hosts resolved with IPv4 preferred, ports kept, nothing bound", async () => {
    expect(await resolvedListen("localhost:0")).to.equal("127.0.0.1:0");
    expect(await resolvedListen("LOCALHOST:3310")).to.equal("127.0.0.1:3310");
    expect(await resolvedListen("127.0.0.1:9988")).to.equal("127.0.0.1:9988");
    expect(await resolvedListen("0.0.0.0:5")).to.equal("0.0.0.0:5");
    expect(await resolvedListen(":5")).to.equal(":5");
    expect(await resolvedListen("")).to.equal(":0");
    expect(await resolvedListen("[::1]:7")).to.equal("[::1]:7");
    await resolvedListen("local373").then(
      () => expect.fail("resolved"),
      (err: Error & { status: number }) => {
        expect(err.message).to.equal("address local373: missing port in address");
        expect(err.status).to.equal(500);
      },
    );
  });

  test("formatting and joining", () => {
    expect(formatTcpAddress({ ip: "::", port: 1 })).to.equal("[::]:1");
    expect(formatTcpAddress({ ip: null, port: 2 })).to.equal(":2");
    expect(joinHostPort("::1", 3)).to.equal("[::1]:3");
    expect(joinHostPort("localhost", "4")).to.equal("localhost:4");
  });
});
