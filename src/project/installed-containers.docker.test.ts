import { existsSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import { ensureBaseImage, FAULTPROXY_IMAGE, getEngine, imageId, LABEL_RUN, MACHINE_IMAGE } from "../drivers/container";
import { planContext } from "../drivers/container/context";
import { imageEventsSince } from "../drivers/container/docker-test-kit";
import { CHECKOUT, InstalledKit, output } from "./installed-test-kit";

// The container driver from the package as a user installs it: no package-lock.json in the package, its
// dependencies hoisted into the user's node_modules. The images build from the installed package, offline.
const kit = new InstalledKit("exlab-installed-containers-");
/** The package names of install locations (`node_modules/a/node_modules/b` → `b`), sorted, once each. */
const names = (locations: string[]) => [...new Set(locations.map((l) => l.split("node_modules/").pop()!))].sort();
after(() => kit.remove());

describe("the installed package on containers", { timeout: 900_000 }, () => {
  before(() => kit.pack());

  test("exlab init, then exlab run --driver containers passes the scaffolded features, leaving nothing", async (t) => {
    const engine = await getEngine();
    const dir = kit.project("user-containers");
    const pkg = path.join(dir, "node_modules", "exchange-lab");
    expect(existsSync(path.join(pkg, "package-lock.json")), "npm ships no lockfile").to.equal(false);
    expect(existsSync(path.join(dir, "node_modules", "pino")), "dependencies are hoisted").to.equal(true);

    const started = Date.now();
    const run = kit.sh(dir, "npx", ["exlab", "run", "--driver", "containers"], 600_000);
    t.diagnostic(`exlab run --driver containers: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(run.status, output(run)).to.equal(0);
    expect(run.stdout).to.match(/exlab run \(containers\): [1-9]\d* passed, 0 failed/);
    const latest = path.join(dir, "reports", "latest");
    expect(readFileSync(path.join(latest, "junit.xml"), "utf8")).to.match(/tests="[1-9]\d*" failures="0"/);
    const events = await imageEventsSince(engine, started);
    expect(
      events.filter((e) => e.action === "pull"),
      "nothing pulled",
    ).to.deep.equal([]);

    const report = readFileSync(path.join(latest, "report.json"), "utf8");
    const runIds = new Set([...report.matchAll(/"runId":"([^"]+)"/g)].map((m) => m[1]));
    expect(runIds.size, "the report names its runs").to.be.greaterThan(0);
    for (const id of runIds) {
      const filters = { label: [`${LABEL_RUN}=${id}`] };
      expect(await engine.docker.listContainers({ all: true, filters }), `containers of run ${id}`).to.deep.equal([]);
      expect(await engine.docker.listNetworks({ filters }), `networks of run ${id}`).to.deep.equal([]);
    }
    kit.expectNothingLeft();

    // The images the run used are those of the installed package's content, its packages from the user's tree.
    const base = await ensureBaseImage({ projectRoot: pkg });
    expect(base.source).to.equal("local");
    const userModules = realpathSync(path.join(dir, "node_modules"));
    const checkoutModules = realpathSync(path.join(CHECKOUT, "node_modules"));
    for (const spec of [MACHINE_IMAGE, FAULTPROXY_IMAGE]) {
      const plan = planContext(spec, pkg, base.id);
      expect(await imageId(engine, `exlab-${spec.kind}:${plan.hash}`), `exlab-${spec.kind}:${plan.hash}`).to.be.a(
        "string",
      );
      const checkout = planContext(spec, CHECKOUT, base.id);
      expect(names(plan.packages), "the same packages as from this checkout").to.deep.equal(names(checkout.packages));
      t.diagnostic(
        `${spec.kind}: ${plan.hash === checkout.hash ? "the same" : "not the same"} image as this checkout's`,
      );
      const sources = plan.entries.flatMap((e) => (e.type === "file" && e.path.startsWith("node_modules/") ? [e] : []));
      expect(sources.length).to.be.greaterThan(0);
      for (const e of sources) {
        expect(e.source.startsWith(userModules + path.sep), e.source).to.equal(true);
        expect(e.source.startsWith(checkoutModules + path.sep), e.source).to.equal(false);
      }
    }
  });
});
