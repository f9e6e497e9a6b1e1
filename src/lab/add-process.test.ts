import { describe, test } from "node:test";
import { expect } from "chai";
import { loadTopologyTextOrThrow } from "../topology";
import { addProcessToPlan } from "./add-process";

const yaml = `
name: t
mesh: full
machines:
  alpha: { servers: [{ port: 11111 }] }
  beta:  { servers: [{ port: 11111 }, { port: 11112, group: admin }] }
  gamma: { servers: [{ port: 11111 }] }
`;

describe("run-time processes", () => {
  test("a new process dialling another machine reuses the existing proxy for that target", () => {
    const { plan } = loadTopologyTextOrThrow(yaml);
    const existing = plan.proxies.find((p) => p.fromMachine === "beta" && p.to === "alpha/exchange");
    const added = addProcessToPlan(plan, "beta/newcomer", "", "alpha/exchange");
    expect(existing, "fixture: beta dials alpha").to.not.equal(undefined);
    expect(added.proxy).to.equal(undefined);
    expect(added.process.endpoints[0].dials[0]).to.include({
      to: "alpha/exchange",
      proxy: existing!.name,
      crossMachine: true,
      port: 11111,
    });
    expect(plan.machines.find((m) => m.name === "beta")!.processes).to.include("beta/newcomer");
  });

  test("a dial no proxy carries yet gets a new proxy", () => {
    const { plan } = loadTopologyTextOrThrow(yaml);
    const added = addProcessToPlan(plan, "alpha/probe", "admin", "beta/exchange-admin");
    expect(added.proxy).to.include({ fromMachine: "alpha", to: "beta/exchange-admin", port: 11112, group: "admin" });
    expect(plan.proxies).to.include(added.proxy);
  });

  test("a group the target does not serve still dials its server, so the mismatch is refused, not silent", () => {
    const { plan } = loadTopologyTextOrThrow(yaml);
    const added = addProcessToPlan(plan, "gamma/intruder", "admin", "alpha/exchange");
    expect(added.process.endpoints[0]).to.deep.include({ group: "admin", role: "client" });
    expect(added.process.endpoints[0].dials[0]).to.include({ to: "alpha/exchange", port: 11111 });
  });

  test("a machine as target means its server of that group; unknown names list what exists", () => {
    const { plan } = loadTopologyTextOrThrow(yaml);
    expect(addProcessToPlan(plan, "alpha/x", "admin", "beta").process.endpoints[0].dials[0].to).to.equal(
      "beta/exchange-admin",
    );
    expect(() => addProcessToPlan(plan, "delta/x", "", "alpha")).to.throw(
      /unknown machine "delta"; known machines: alpha, beta, gamma/,
    );
    expect(() => addProcessToPlan(plan, "alpha/y", "", "beta/nobody")).to.throw(
      /unknown server process "beta\/nobody".*alpha\/exchange/,
    );
    expect(() => addProcessToPlan(plan, "alpha/x", "", "beta")).to.throw(/already exists/);
  });
});
