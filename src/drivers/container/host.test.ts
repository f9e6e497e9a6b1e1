import { describe, test } from "node:test";
import { expect } from "chai";
import { BridgeInfo, decideHost, LOCAL_HOST } from "./host";

const noGateway: BridgeInfo = {
  IPAM: { Config: [{ Subnet: "172.17.0.0/16" }] },
  Options: { "com.docker.network.bridge.name": "docker0" },
};
const withGateway: BridgeInfo = { IPAM: { Config: [{ Subnet: "172.17.0.0/16", Gateway: "172.17.0.1" }] }, Options: {} };

describe("decideHost (keeps testcontainers from running alpine:3.14 to find the host)", () => {
  const base = { env: {}, inContainer: true, endpointKind: "unix", interfaceExists: () => false };

  test("the user's TESTCONTAINERS_HOST_OVERRIDE, a host outside containers, or a tcp engine: left alone", () => {
    expect(
      decideHost({ ...base, env: { TESTCONTAINERS_HOST_OVERRIDE: "10.0.0.1" }, bridge: noGateway }),
    ).not.to.have.property("override");
    expect(decideHost({ ...base, inContainer: false, bridge: noGateway })).not.to.have.property("error");
    expect(decideHost({ ...base, endpointKind: "tcp", bridge: noGateway })).not.to.have.property("error");
  });

  test("the engine's bridge interface is in this namespace: the engine is local, 127.0.0.1", () => {
    const seen: string[] = [];
    const d = decideHost({
      ...base,
      bridge: { ...noGateway, Options: { "com.docker.network.bridge.name": "br-x" } },
      interfaceExists: (n) => (seen.push(n), n === "br-x"),
    });
    expect(d).to.deep.include({ override: LOCAL_HOST });
    expect(seen).to.deep.equal(["br-x"]);
    expect(decideHost({ ...base, bridge: undefined, interfaceExists: (n) => n === "docker0" })).to.deep.include({
      override: LOCAL_HOST,
    });
  });

  test("a remote engine whose bridge has a gateway: testcontainers uses it, no container needed", () => {
    expect(decideHost({ ...base, bridge: withGateway })).to.deep.equal({
      reason: "testcontainers uses the bridge gateway",
    });
  });

  test("neither: an error telling to set TESTCONTAINERS_HOST_OVERRIDE instead of a pull", () => {
    const d = decideHost({ ...base, bridge: noGateway });
    expect(d).to.have.property("error").that.contains("TESTCONTAINERS_HOST_OVERRIDE");
  });
});
