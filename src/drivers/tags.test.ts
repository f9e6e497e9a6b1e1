import { after, describe, test } from "node:test";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { loadSources } from "@cucumber/cucumber/api";
import { driverTagExpression } from "./tags";

const root = join(__dirname, "..", "..");
const fake = join(__dirname, "fake-driver-test-kit.js");
const dir = mkdtempSync(join(tmpdir(), "exlab-tags-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const feature = join(dir, "drivers.feature");
writeFileSync(
  feature,
  `Feature: scenarios for some drivers
  Scenario: everywhere
    Given a step
  @processes
  Scenario: only processes
    Given a step
  @containers
  Scenario: only containers
    Given a step
  @fake
  Scenario: only fake
    Given a step
`,
);

/** The scenarios of the feature that a run on `driver` keeps (cucumber's own filtering). */
async function kept(driver: string): Promise<string[]> {
  const { plan, errors } = await loadSources({
    defaultDialect: "en",
    paths: [feature],
    names: [],
    tagExpression: driverTagExpression(driver),
    order: "defined",
  });
  expect(errors).to.deep.equal([]);
  return plan.map((p) => p.name);
}

describe("the tag filter of a run, from the registry", () => {
  test("built-ins only: the other built-in's tag is filtered out, untagged scenarios run on both", async () => {
    expect(await kept("processes")).to.deep.equal(["everywhere", "only processes", "only fake"]);
    expect(await kept("containers")).to.deep.equal(["everywhere", "only containers", "only fake"]);
  });

  test("with a driver plugged in, every other registered driver's tag is filtered out", async () => {
    process.env.EXLAB_DRIVERS = fake;
    try {
      expect(driverTagExpression("processes")).to.equal("not @containers and not @fake");
      expect(driverTagExpression("fake", "@smoke")).to.equal("(@smoke) and not @processes and not @containers");
      expect(await kept("processes")).to.deep.equal(["everywhere", "only processes"]);
      expect(await kept("containers")).to.deep.equal(["everywhere", "only containers"]);
      expect(await kept("fake")).to.deep.equal(["everywhere", "only fake"]);
    } finally {
      delete process.env.EXLAB_DRIVERS;
    }
  });

  test("cucumber.js (npx cucumber-js -p plain) filters with the same function, for $LAB_DRIVER", () => {
    const config = join(root, "cucumber.js");
    const load = (env: Record<string, string>) => {
      Object.assign(process.env, env);
      try {
        delete require.cache[require.resolve(config)];
        return (require(config) as { plain: { tags: string; worldParameters: { driver: string } } }).plain;
      } finally {
        for (const k of Object.keys(env)) delete process.env[k];
      }
    };
    expect(load({}).tags).to.equal("not @containers");
    const onFake = load({ LAB_DRIVER: "fake", EXLAB_DRIVERS: fake });
    expect(onFake.tags).to.equal("not @processes and not @containers");
    expect(onFake.worldParameters.driver).to.equal("fake");
  });

  test("cucumber.js without a build says to build", () => {
    const bare = mkdtempSync(join(dir, "bare-"));
    copyFileSync(join(root, "cucumber.js"), join(bare, "cucumber.js"));
    expect(() => require(join(bare, "cucumber.js"))).to.throw(
      "cucumber.js: the lab is not built (no dist/drivers/index.js): run `npm run build` first",
    );
  });
});
