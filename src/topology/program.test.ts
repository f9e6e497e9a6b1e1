import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { expect } from "chai";
import { DEFAULT_READY_TIMEOUT_MS, formatCommandLine, loadTopologyText } from "./index";
import type { LoadResult, PlanProgram } from "./index";
import { splitCommandLine } from "./program";
import { brief, errorsOf, loadFixture, planOf, topologiesDir } from "./test-support";

const load = (text: string) => loadTopologyText(text, "t.yaml");
/** A one-machine topology whose process `p` has the given flow-mapping keys. */
const withProcess = (keys: string) =>
  `machines:\n  m:\n    servers: [{ port: 11111 }]\n    processes:\n      p: ${keys}\n`;
const programOf = (r: LoadResult, address = "m/p"): PlanProgram | undefined =>
  planOf(r).plan.processes.find((p) => p.address === address)?.program;

describe("run: a process runs a program of the user's", () => {
  test("the issue's example: argv split, cwd, env as text, readyTimeout; endpoints and services as usual", async () => {
    const { plan, topology } = planOf(await loadFixture("programs.yaml"));
    const orders = plan.processes.find((p) => p.address === "shop/orders")!;
    expect(orders.program).to.deep.equal({
      argv: ["node", "services/orders.js"],
      cwd: "services",
      env: { ORDERS_STORE: "memory", SLOTS: "3", VERBOSE: "true" },
      readyTimeoutMs: 10000,
    });
    expect(orders.endpoints.map((e) => [e.group, e.role])).to.deep.equal([["database", "client"]]);
    expect(orders.services).to.deep.equal([{ name: "orders", audience: "database", groups: [] }]);
    const declared = topology.machines[0].processes.find((p) => p.name === "orders")!.program!;
    expect(declared.yamlPath).to.deep.equal(["machines", "shop", "processes", "orders", "run"]);
  });

  test("servers and processes without run have no program: they are the lab's generic host", async () => {
    const { plan } = planOf(await loadFixture("programs.yaml"));
    const without = plan.processes.filter((p) => !p.program).map((p) => p.address);
    expect(without).to.deep.equal(["shop/exchange", "shop/exchange-database", "shop/generic"]);
    expect(plan.processes.find((p) => p.address === "shop/generic")).to.not.have.property("program");
  });

  test("defaults: cwd '.', no env, readyTimeoutMs absent (the machine side applies 15 s)", () => {
    const program = programOf(load(withProcess("{ run: node app.js }")));
    expect(program).to.deep.equal({ argv: ["node", "app.js"], cwd: ".", env: {} });
    expect(program).to.not.have.property("readyTimeoutMs");
    expect(DEFAULT_READY_TIMEOUT_MS).to.equal(15000);
  });

  test("a list is taken as written: spaces, $, *, # and quotes are plain characters", async () => {
    const { plan } = planOf(await loadFixture("programs.yaml"));
    expect(plan.processes.find((p) => p.address === "shop/web")!.program!.argv).to.deep.equal([
      "node",
      "web app.js",
      "--title",
      "$HOME *",
    ]);
  });

  test("a string honours single and double quotes and backslashes; a # inside a word is kept", async () => {
    const { plan } = planOf(await loadFixture("programs.yaml"));
    expect(plan.processes.find((p) => p.address === "shop/cli")!.program!.argv).to.deep.equal([
      "node",
      "tools/cli.js",
      "--name",
      "a b",
      "c d",
      "--color=#fff",
    ]);
  });

  test("cwd is normalised to a relative POSIX path", () => {
    const cwd = (w: string) => programOf(load(withProcess(`{ run: node a.js, cwd: "${w}" }`)))!.cwd;
    expect(["./services/", "services//orders", "a/../b", ".", "./"].map(cwd)).to.deep.equal([
      "services",
      "services/orders",
      "b",
      ".",
      ".",
    ]);
  });

  test("env values: numbers and booleans become text; order is the file's", () => {
    const program = programOf(load(withProcess("{ run: node a.js, env: { Z: 1.5, A: false, M: '007' } }")));
    expect(Object.entries(program!.env)).to.deep.equal([
      ["Z", "1.5"],
      ["A", "false"],
      ["M", "007"],
    ]);
  });

  test("a bridge process may run a program too", () => {
    const text =
      "machines:\n  m:\n    servers: [{ port: 11111 }]\n    processes:\n" +
      '      p: { run: [node, bridge.js], exchanges: [{ group: "" }, { group: db, listen: 12000 }] }\n';
    const r = planOf(load(text));
    expect(r.plan.processes.find((p) => p.address === "m/p")!.program!.argv).to.deep.equal(["node", "bridge.js"]);
  });

  test("the plan's program is a deep copy, and the same file gives the same plan", async () => {
    const first = planOf(await loadFixture("programs.yaml"));
    const again = planOf(await loadFixture("programs.yaml"));
    expect(again.plan).to.deep.equal(first.plan);
    const program = first.plan.processes.find((p) => p.address === "shop/orders")!.program!;
    const declared = first.topology.machines[0].processes.find((p) => p.name === "orders")!.program!;
    program.argv.push("--more");
    program.env.EXTRA = "1";
    expect(declared.argv).to.deep.equal(["node", "services/orders.js"]);
    expect(declared.env).to.not.have.property("EXTRA");
  });
});

describe("run: errors, each at its line:column and YAML path", () => {
  test("structure: keys of a program without run, run on a server, wrong types and empty values", async () => {
    const errors = errorsOf(await loadFixture("program-keys.yaml"));
    expect(brief(errors)).to.deep.equal([
      "4:24 error UNKNOWN_KEY machines.shop.servers[0].run",
      "6:16 error NEEDS_RUN machines.shop.processes.plain.cwd",
      "6:31 error NEEDS_RUN machines.shop.processes.plain.env",
      "6:46 error NEEDS_RUN machines.shop.processes.plain.readyTimeout",
      "7:15 error UNKNOWN_KEY machines.shop.processes.typo.rnu",
      "8:22 error WRONG_TYPE machines.shop.processes.number.run",
      "9:23 error BAD_VALUE machines.shop.processes.nothing.run",
      "10:28 error BAD_VALUE machines.shop.processes.blank.run[1]",
      "11:43 error WRONG_TYPE machines.shop.processes.values.env.A",
      "11:52 error WRONG_TYPE machines.shop.processes.values.env.B",
      "11:73 error WRONG_TYPE machines.shop.processes.values.readyTimeout",
    ]);
    const at = (p: string) => errors.find((e) => e.path === p)!;
    expect(at("machines.shop.servers[0].run").hint).to.contain("declare it under the machine's `processes:`");
    expect(at("machines.shop.processes.plain.cwd").message).to.equal(
      "`cwd` only applies with `run`, and this process has no `run`",
    );
    expect(at("machines.shop.processes.plain.cwd").hint).to.match(/^add `run: <command line or list of arguments>`/);
    expect(at("machines.shop.processes.typo.rnu").hint).to.match(/^did you mean "run"\?/);
    expect(at("machines.shop.processes.number.run").message).to.equal(
      "expected a command line or a list of arguments, got 3",
    );
    expect(at("machines.shop.processes.values.env.A").message).to.equal(
      "expected text, a number or true or false, got nothing",
    );
  });

  test("a command line that needs a shell, an empty one, and a variable set before the program", async () => {
    const errors = errorsOf(await loadFixture("bad-programs.yaml"));
    const runs = errors.filter((e) => e.code === "BAD_RUN");
    expect(brief(runs)).to.deep.equal([
      "5:20 error BAD_RUN machines.shop.processes.pipe.run",
      "6:20 error BAD_RUN machines.shop.processes.glob.run",
      "7:23 error BAD_RUN machines.shop.processes.comment.run",
      "8:21 error BAD_RUN machines.shop.processes.quote.run",
      "9:20 error BAD_RUN machines.shop.processes.home.run",
      "10:21 error BAD_RUN machines.shop.processes.blank.run",
      "11:22 error BAD_RUN machines.shop.processes.assign.run",
    ]);
    expect(runs.map((e) => e.message)).to.deep.equal([
      'run is not a shell command line: "|" is a shell operator; use a list of arguments or a script',
      'run is not a shell command line: "*.js" is a glob pattern, which only a shell expands; use a list of arguments or a script',
      'run is not a shell command line: "#1" is a comment; use a list of arguments or a script',
      'run is not a shell command line: the " opened at character 6 is never closed; use a list of arguments or a script',
      "run is not a shell command line: $HOME is a variable reference, which only a shell expands; use a list of arguments or a script",
      "run is not a shell command line: it names no program; use a list of arguments or a script",
      'run is not a shell command line: "NODE_ENV=test" sets a variable, which only a shell does; use a list of arguments or a script',
    ]);
    expect(runs[0].hint).to.contain("write `run: [<program>, <argument>, …]`");
    expect(runs[4].hint).to.contain("set it with `env:`");
    expect(runs[6].hint).to.contain("`env: { NODE_ENV: test }`");
  });

  test("cwd: absolute, or leaving the project directory", async () => {
    const errors = errorsOf(await loadFixture("bad-programs.yaml")).filter((e) => e.code === "BAD_CWD");
    expect(brief(errors)).to.deep.equal([
      "12:39 error BAD_CWD machines.shop.processes.outside.cwd",
      "13:40 error BAD_CWD machines.shop.processes.absolute.cwd",
      "14:38 error BAD_CWD machines.shop.processes.sneaky.cwd",
    ]);
    expect(errors.map((e) => e.message)).to.deep.equal([
      'cwd "../other" leaves the project directory',
      'cwd "/srv/app" is an absolute path; it must be relative to the project directory',
      'cwd "lib/../../other" leaves the project directory',
    ]);
    const more = ['"C:/app"', '"~/app"', '"lib\\\\app"'].map(
      (cwd) => errorsOf(load(withProcess(`{ run: node a.js, cwd: ${cwd} }`)))[0],
    );
    expect(more.map((e) => `${e.code} ${e.line}:${e.column}`)).to.deep.equal([
      "BAD_CWD 5:33",
      "BAD_CWD 5:33",
      "BAD_CWD 5:33",
    ]);
    expect(more[1].message).to.contain("starts with ~");
    expect(more[2].hint).to.contain("separate directories with /");
  });

  test("env: invalid and reserved names, each named at its key; readyTimeout 0", async () => {
    const errors = errorsOf(await loadFixture("bad-programs.yaml"));
    const env = errors.filter((e) => e.code === "BAD_ENV_NAME" || e.code === "RESERVED_ENV");
    expect(brief(env)).to.deep.equal([
      '15:39 error BAD_ENV_NAME machines.shop.processes.names.env["9LIVES"]',
      "15:50 error RESERVED_ENV machines.shop.processes.names.env.EXLAB_MACHINE",
    ]);
    expect(env[0].message).to.equal('environment variable name "9LIVES" is not valid');
    expect(env[1].message).to.equal(
      'environment variable "EXLAB_MACHINE" is reserved: names starting with EXLAB_ are the lab\'s',
    );
    const lower = errorsOf(load(withProcess("{ run: node a.js, env: { exlab_x: 1 } }")));
    expect(lower.map((e) => e.code)).to.deep.equal(["RESERVED_ENV"]);
    expect(brief(errors.filter((e) => e.path.endsWith("readyTimeout")))).to.deep.equal([
      "16:46 error BAD_TIMING machines.shop.processes.quick.readyTimeout",
    ]);
  });

  test("program errors leave the link analysis alone: its warnings are still reported", () => {
    const text =
      "machines:\n  a: { servers: [{ port: 1 }] }\n  b:\n    servers: [{ port: 1 }]\n" +
      "    processes:\n      p: { run: 'node a.js > log' }\n";
    const r = load(text);
    expect(brief(errorsOf(r))).to.deep.equal(["6:17 error BAD_RUN machines.b.processes.p.run"]);
    expect(r.warnings.map((w) => w.code)).to.deep.equal(["PARTIAL_MESH"]);
  });
});

describe("splitting a command line", () => {
  const ok = (line: string) => {
    const r = splitCommandLine(line);
    if (!r.ok) throw new Error(`${line}: ${r.problem}`);
    return r.argv;
  };
  const problem = (line: string) => {
    const r = splitCommandLine(line);
    if (r.ok) throw new Error(`${line}: split into ${JSON.stringify(r.argv)}`);
    return r.problem;
  };

  test("quotes, escapes and blanks as a POSIX shell reads them", () => {
    expect(ok("  node   a.js\tb  ")).to.deep.equal(["node", "a.js", "b"]);
    expect(ok(`node "a b" 'c d' e\\ f "g\\"h" 'it'\\''s'`)).to.deep.equal(["node", "a b", "c d", "e f", 'g"h', "it's"]);
    expect(ok("node $'a\\tb' ''")).to.deep.equal(["node", "a\tb", ""]);
    expect(ok("node '$HOME' 'a|b' '*.js' '~/x' cost$ a~b \"x=(1)\"")).to.deep.equal([
      "node",
      "$HOME",
      "a|b",
      "*.js",
      "~/x",
      "cost$",
      "a~b",
      "x=(1)",
    ]);
  });

  test("what only a shell does is refused, not dropped", () => {
    expect(problem("a && b")).to.equal('"&&" is a shell operator');
    expect(problem("a > out 2>&1")).to.equal('">" and ">&" are shell operators');
    expect(problem("a; b")).to.equal('";" is a shell operator');
    expect(problem("node a.js &")).to.equal('"&" is a shell operator');
    expect(problem("node $(date)")).to.equal('"(" and ")" are shell operators');
    expect(problem("node a?.js")).to.equal('"a?.js" is a glob pattern, which only a shell expands');
    expect(problem("node ${X} $1 $$")).to.equal("$X, $1 and $$ are variable references, which only a shell expands");
    expect(problem('node "$HOME"')).to.equal("$HOME is a variable reference, which only a shell expands");
    expect(problem("node ${X")).to.equal("it has a ${…} that is empty or never closed");
    expect(problem("node `date`")).to.equal("`…` is a command substitution, which only a shell runs");
    expect(problem("node ~/a.js")).to.equal('"~/a.js" starts with ~, which only a shell turns into the home directory');
    expect(problem("node 'a")).to.equal("the ' opened at character 6 is never closed");
    expect(problem("node $'a")).to.equal("the $' opened at character 6 is never closed");
    expect(problem("node a.js\\")).to.equal("it ends with a backslash, which escapes nothing");
    expect(problem("node a.js\nnode b.js")).to.equal(
      "it has several lines, which a shell would run as separate commands",
    );
    expect(problem("'' a")).to.equal("the program name is empty");
  });

  test("formatCommandLine quotes what needs it, and splits back to the same arguments", () => {
    const cases = [
      ["node", "services/orders.js", "--port=8080"],
      ["node", "my app.js", "it's", "", "$HOME", "*", "#1", "~/x", "a\tb"],
    ];
    expect(formatCommandLine(cases[0])).to.equal("node services/orders.js --port=8080");
    expect(formatCommandLine(["node", "my app.js", "it's"])).to.equal("node 'my app.js' 'it'\\''s'");
    for (const argv of cases) expect(ok(formatCommandLine(argv))).to.deep.equal(argv);
  });
});

describe("documentation", () => {
  test("the program example in topologies/README.md is a valid topology", () => {
    const readme = readFileSync(path.join(topologiesDir, "README.md"), "utf8");
    const yaml = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).find((y) => y.includes("run:"));
    expect(yaml, "a yaml block with run:").to.be.a("string");
    const r = planOf(loadTopologyText(yaml!, "README.md"));
    expect(r.plan.processes.filter((p) => p.program).length).to.be.greaterThan(0);
  });
});
