import { describe, test } from "node:test";
import { expect } from "chai";
import { loadTopologyFile, loadTopologyText } from "./index";
import { brief, errorsOf, fixture, loadFixture } from "./test-support";

describe("YAML syntax errors", () => {
  test("an unclosed flow sequence is reported at file:line:column, with its YAML path", async () => {
    const errors = errorsOf(await loadFixture("bad-yaml.yaml"));
    expect(brief(errors)).to.deep.equal(["5:5 error YAML_SYNTAX machines.alpha.processes"]);
    expect(errors[0].file).to.equal(fixture("bad-yaml.yaml"));
    expect(errors[0].message).to.match(/^YAML syntax error: .*end with a \]/);
    expect(errors[0].hint).to.contain("close the quote or bracket");
  });

  test("a duplicate key is an error at the second key", async () => {
    const errors = errorsOf(await loadFixture("duplicate-key.yaml"));
    expect(brief(errors)).to.deep.equal(["4:3 error YAML_SYNTAX machines.alpha"]);
    expect(errors[0].message).to.contain("DUPLICATE_KEY");
  });

  test("two documents in one file are refused", () => {
    const errors = errorsOf(loadTopologyText("machines: { a: {} }\n---\nmachines: { b: {} }\n", "two.yaml"));
    expect(errors.map((e) => e.code)).to.deep.equal(["YAML_SYNTAX"]);
    expect(errors[0].hint).to.contain("one topology per file");
    expect(errors[0].line).to.equal(2);
  });

  test("an empty file says so", async () => {
    const errors = errorsOf(await loadFixture("empty.yaml"));
    expect(brief(errors)).to.deep.equal(["1:1 error WRONG_TYPE "]);
    expect(errors[0].message).to.equal("the file is empty: expected a topology");
  });

  test("a file that does not exist is one clear error that lists the topologies next to it", async () => {
    const r = await loadTopologyFile(fixture("no-such-topology.yaml"));
    const errors = errorsOf(r);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({
      code: "FILE_NOT_FOUND",
      line: 0,
      column: 0,
      file: fixture("no-such-topology.yaml"),
    });
    expect(errors[0].hint).to.contain("bad-yaml").and.contain("warnings");
  });

  test("a directory is not a topology", async () => {
    const errors = errorsOf(await loadTopologyFile(fixture("")));
    expect(errors[0].code).to.equal("FILE_UNREADABLE");
    expect(errors[0].message).to.contain("EISDIR");
  });
});

describe("structural schema", () => {
  test("every unknown key at once, each at its key, with a did-you-mean hint", async () => {
    const errors = errorsOf(await loadFixture("unknown-keys.yaml"));
    expect(brief(errors)).to.deep.equal([
      "2:29 error UNKNOWN_KEY timing.retry",
      "5:17 error UNKNOWN_KEY machines.alpha.servers[0].prot",
      "8:9 error UNKNOWN_KEY machines.alpha.processes.billing.service",
      "10:33 error UNKNOWN_KEY machines.alpha.processes.web.services[0].audiance",
    ]);
    expect(errors[1].message).to.equal('unknown key "prot" in a server');
    expect(errors[1].hint).to.match(
      /^did you mean "port"\? keys allowed in a server: port, group, name, connect, description$/,
    );
    expect(errors[2].hint).to.contain('did you mean "services"?');
    expect(errors[3].hint).to.contain('did you mean "audience"?');
    expect(errors[0].hint).to.equal(
      'did you mean "retryDelay"? keys allowed in the timing: heartbeat, missedBeats, retryDelay, handshakeTimeout, requestTimeout',
    );
  });

  test("wrong types and values are all reported, with what was expected", async () => {
    const errors = errorsOf(await loadFixture("wrong-types.yaml"));
    expect(brief(errors)).to.deep.equal([
      "1:7 error BAD_VALUE mesh",
      "3:14 error WRONG_TYPE timing.heartbeat",
      "4:16 error BAD_VALUE timing.missedBeats",
      "5:15 error BAD_VALUE timing.retryDelay",
      "8:23 error BAD_VALUE machines.alpha.servers[0].port",
      "8:40 error WRONG_TYPE machines.alpha.servers[1].port",
      "9:16 error WRONG_TYPE machines.alpha.processes",
      "10:21 error MISSING_KEY machines.beta.servers[0].port",
    ]);
    const by = (path: string) => errors.find((e) => e.path === path)!;
    expect(by("mesh").message).to.equal('expected one of "full" and "none", got "fll"');
    expect(by("mesh").hint).to.match(/^did you mean "full"\?/);
    expect(by("timing.heartbeat").hint).to.equal('durations need a unit: write "200ms" or "200s"');
    expect(by("timing.retryDelay").message).to.equal('"soon" is not a duration');
    expect(by("machines.alpha.servers[0].port").message).to.equal("expected a number ≤ 65535, got 70000");
    expect(by("machines.alpha.servers[1].port").message).to.equal('expected a whole number, got "11112"');
    expect(by("machines.alpha.processes").message).to.equal("expected a mapping (key: value), got a list");
  });

  test("a missing required key points at the entry that lacks it", () => {
    const text = "machines:\n  alpha:\n    servers:\n      - { group: admin }\n";
    const errors = errorsOf(loadTopologyText(text, "t.yaml"));
    expect(brief(errors)).to.deep.equal(["4:9 error MISSING_KEY machines.alpha.servers[0].port"]);
    expect(errors[0].message).to.equal('a server needs the key "port"');
    expect(errors[0].hint).to.match(/^add `port: <value>`/);
  });

  test("a server that says `listen` instead of `port` gets one error, not two", () => {
    const errors = errorsOf(loadTopologyText("machines:\n  a:\n    servers: [{ listen: 1 }]\n", "t.yaml"));
    expect(brief(errors)).to.deep.equal(["3:17 error UNKNOWN_KEY machines.a.servers[0].listen"]);
    expect(errors[0].hint).to.match(/^did you mean "port"\?/);
  });

  test("machines written at the top level are pointed back under `machines:`", () => {
    const errors = errorsOf(loadTopologyText("machines:\n  alpha: {}\nbeta:\n  servers: [{ port: 1 }]\n", "t.yaml"));
    expect(brief(errors)).to.deep.equal(["3:1 error UNKNOWN_KEY beta"]);
    expect(errors[0].hint).to.equal('machines are declared under `machines:`; move "beta" there');
  });

  test("top-level x- keys are ignored so that they can hold YAML anchors", () => {
    const text = "x-server: &srv { port: 11111 }\nmachines:\n  a: { servers: [*srv] }\n  b: { servers: [*srv] }\n";
    const r = loadTopologyText(text, "t.yaml");
    expect(r.ok && r.plan.processes.map((p) => p.endpoints[0].listen)).to.deep.equal([11111, 11111]);
  });

  test("a document that is not a mapping is refused at 1:1", () => {
    const errors = errorsOf(loadTopologyText("- alpha\n- beta\n", "t.yaml"));
    expect(brief(errors)).to.deep.equal(["1:1 error WRONG_TYPE "]);
    expect(errors[0].message).to.equal(
      "expected a topology (a mapping of keys such as name, timing, machines), got a list",
    );
  });

  test("a process that tries to listen is told about exchanges", () => {
    const errors = errorsOf(
      loadTopologyText("machines:\n  a:\n    processes:\n      p: { listen: 12000 }\n", "t.yaml"),
    );
    expect(brief(errors)).to.deep.equal(["4:12 error UNKNOWN_KEY machines.a.processes.p.listen"]);
    expect(errors[0].hint).to.contain("exchanges: [{ group: <g>, listen: <port> }]");
  });

  test("no machines at all, and an empty exchanges list, are refused", () => {
    expect(brief(errorsOf(loadTopologyText("machines: {}\n", "t.yaml")))).to.deep.equal([
      "1:11 error BAD_VALUE machines",
    ]);
    const errors = errorsOf(
      loadTopologyText("machines:\n  a:\n    processes:\n      p: { exchanges: [] }\n", "t.yaml"),
    );
    expect(brief(errors)).to.deep.equal(["4:23 error BAD_VALUE machines.a.processes.p.exchanges"]);
  });

  test("an empty service name is refused", () => {
    const text = "machines:\n  a:\n    servers: [{ port: 1 }]\n    processes:\n      p: { services: [{ name: '' }] }\n";
    expect(brief(errorsOf(loadTopologyText(text, "t.yaml")))).to.deep.equal([
      "5:31 error BAD_VALUE machines.a.processes.p.services[0].name",
    ]);
  });
});
