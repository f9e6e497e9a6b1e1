import { describe, test } from "node:test";
import { expect } from "chai";
import { InvalidKeepImagesError } from "./errors";
import { formatBytes, IMAGE_REPOSITORIES, withoutProject } from "./image-prune";
import { type ImageDecision, type ImageTag, keepImagesSetting, selectImagesToRemove } from "./image-selection";
import { LABEL_BASE, LABEL_HASH, LABEL_KIND } from "./labels";

const BASE_OLD = "exlab-base:0000000000000001";
const BASE_NEW = "exlab-base:0000000000000002";

/** A tag as the engine would list it; `minute` orders creation, `nanos` refines within a second. */
function tag(ref: string, minute: number, labels: Record<string, string> | "unlabelled" = {}, nanos = 0): ImageTag {
  const [repository, t] = ref.split(/:(?=[^:/]*$)/);
  const kind = repository.replace(/^exlab-/, "");
  const own =
    labels === "unlabelled"
      ? {}
      : { [LABEL_KIND]: kind, [LABEL_HASH]: t, ...(kind === "base" ? {} : { [LABEL_BASE]: BASE_NEW }), ...labels };
  const created = `2026-11-24T10:${String(minute).padStart(2, "0")}:00.${String(nanos).padStart(9, "0")}Z`;
  return { ref, repository, tag: t, id: `sha256:${ref.replace(/\W/g, "")}`, created, labels: own };
}

const removed = (ds: ImageDecision[]) => ds.filter((d) => d.remove).map((d) => d.image.ref);
const why = (ds: ImageDecision[]) =>
  Object.fromEntries(ds.filter((d) => !d.remove).map((d) => [d.image.ref, (d as { reason: string }).reason]));

describe("which older lab images go", () => {
  const machines = [1, 2, 3, 4, 5].map((m) => tag(`exlab-machine:m${m}`, m));
  const proxies = [1, 2, 3, 4].map((m) => tag(`exlab-faultproxy:p${m}`, m));
  const bases = [tag(BASE_OLD, 0), tag(BASE_NEW, 1)];
  const all = [...bases, ...proxies, ...machines];

  test("per repository: the ones in use stay, then the 2 most recent older ones; app images go first, newest first", () => {
    const ds = selectImagesToRemove(all, {
      repositories: IMAGE_REPOSITORIES,
      keep: 2,
      inUse: new Set(["exlab-machine:m5", "exlab-faultproxy:p4"]),
    });
    expect(removed(ds)).to.deep.equal(["exlab-machine:m2", "exlab-faultproxy:p1", "exlab-machine:m1"]);
    expect(why(ds)).to.deep.equal({
      "exlab-machine:m5": "in use",
      "exlab-machine:m4": "recent",
      "exlab-machine:m3": "recent",
      "exlab-faultproxy:p4": "in use",
      "exlab-faultproxy:p3": "recent",
      "exlab-faultproxy:p2": "recent",
      [BASE_NEW]: "base of a kept image",
      [BASE_OLD]: "recent",
    });
    const fewer = selectImagesToRemove(all, {
      repositories: IMAGE_REPOSITORIES,
      keep: 0,
      inUse: new Set(["exlab-machine:m5"]),
    });
    expect(removed(fewer).at(-1)).to.equal(BASE_OLD);
  });

  test("an image a container uses (even a stopped one) stays and does not count among the kept ones; so does its base", () => {
    const held = tag("exlab-machine:m1", 1, { [LABEL_BASE]: BASE_OLD });
    const ds = selectImagesToRemove([...bases, held, ...machines.slice(1)], {
      repositories: IMAGE_REPOSITORIES,
      keep: 1,
      inUse: new Set(["exlab-machine:m5"]),
      containerImages: new Set([held.id]),
    });
    expect(removed(ds)).to.deep.equal(["exlab-machine:m3", "exlab-machine:m2"]);
    expect(why(ds)).to.deep.include({
      "exlab-machine:m1": "used by a container",
      "exlab-machine:m4": "recent",
      [BASE_OLD]: "base of a kept image",
    });
  });

  test("an image leased by another live run stays", () => {
    const ds = selectImagesToRemove(machines, {
      repositories: IMAGE_REPOSITORIES,
      keep: 0,
      inUse: new Set(["exlab-machine:m5"]),
      leased: new Set(["exlab-machine:m2"]),
    });
    expect(removed(ds)).to.deep.equal(["exlab-machine:m4", "exlab-machine:m3", "exlab-machine:m1"]);
    expect(why(ds)["exlab-machine:m2"]).to.equal("leased by a live run");
  });

  test("images the lab did not build are never candidates: other repositories, no labels, a kind that does not match", () => {
    const foreign = [
      tag("ghcr.io/shopify/toxiproxy:2.12.0", 0, "unlabelled"),
      tag("exlab-machine:hand-made", 0, "unlabelled"),
      tag("exlab-machine:a-base-retagged", 0, { [LABEL_KIND]: "base" }),
      tag("exlab-machine:no-hash", 0, { [LABEL_HASH]: "" }),
      tag("exlab-test-machine:x", 0),
      tag("localhost:5000/exlab-machine:y", 0),
    ];
    const ds = selectImagesToRemove([...foreign, ...machines], { repositories: IMAGE_REPOSITORIES, keep: 0 });
    expect(removed(ds)).to.deep.equal(machines.map((m) => m.ref).reverse());
    expect(ds.filter((d) => !d.remove).map((d) => [d.image.ref, (d as { reason: string }).reason])).to.deep.equal(
      foreign.map((f) => [f.ref, "not built by the lab"]),
    );
  });

  test("keep 0 and nothing in use (exlab clean --images) removes every lab image but the ones containers use", () => {
    const ds = selectImagesToRemove(all, {
      repositories: IMAGE_REPOSITORIES,
      keep: 0,
      containerImages: new Set([proxies[3].id]),
    });
    expect(removed(ds).sort()).to.deep.equal([
      BASE_OLD,
      ...proxies.slice(0, 3).map((p) => p.ref),
      ...machines.map((m) => m.ref),
    ]);
    expect(why(ds)).to.deep.equal({ "exlab-faultproxy:p4": "used by a container", [BASE_NEW]: "base of a kept image" });
  });

  test("keep Infinity removes nothing", () => {
    expect(removed(selectImagesToRemove(all, { repositories: IMAGE_REPOSITORIES, keep: Infinity }))).to.deep.equal([]);
  });

  test("recency is the creation time to the nanosecond (as inspect says), then the name", () => {
    const same = [
      tag("exlab-machine:b", 7, {}, 5),
      tag("exlab-machine:a", 7, {}, 900_000_001),
      tag("exlab-machine:c", 7, {}, 5),
      tag("exlab-machine:d", 7, {}, 1),
    ];
    const ds = selectImagesToRemove(same, { repositories: IMAGE_REPOSITORIES, keep: 2 });
    expect(why(ds)).to.deep.equal({ "exlab-machine:a": "recent", "exlab-machine:b": "recent" });
    expect(removed(ds)).to.deep.equal(["exlab-machine:c", "exlab-machine:d"]);
  });

  test("project images go before the machine images they are built FROM; a kept one keeps its machine image", () => {
    const project = (n: number, machine: string) => tag(`exlab-project:j${n}`, 10 + n, { [LABEL_BASE]: machine });
    const projects = [project(1, "exlab-machine:m1"), project(2, "exlab-machine:m2"), project(3, "exlab-machine:m5")];
    const ds = selectImagesToRemove([...all, ...projects], {
      repositories: IMAGE_REPOSITORIES,
      keep: 0,
      inUse: new Set(["exlab-project:j2"]),
    });
    expect(removed(ds)).to.deep.equal([
      "exlab-project:j3",
      "exlab-project:j1",
      "exlab-machine:m5",
      "exlab-faultproxy:p4",
      "exlab-machine:m4",
      "exlab-faultproxy:p3",
      "exlab-machine:m3",
      "exlab-faultproxy:p2",
      "exlab-faultproxy:p1",
      "exlab-machine:m1",
      BASE_OLD,
    ]);
    expect(why(ds)).to.deep.equal({
      "exlab-project:j2": "in use",
      "exlab-machine:m2": "base of a kept image",
      [BASE_NEW]: "base of a kept image",
    });
    const beforeTheProject = withoutProject(IMAGE_REPOSITORIES);
    expect(removed(selectImagesToRemove(projects, { repositories: beforeTheProject, keep: 0 }))).to.deep.equal([]);
  });

  test("other repositories (a test's own) work the same", () => {
    const repositories = { base: "t-base", machine: "t-machine", faultproxy: "t-faultproxy" };
    const mine = [1, 2, 3].map((m) => ({
      ...tag(`exlab-machine:m${m}`, m),
      ref: `t-machine:m${m}`,
      repository: "t-machine",
    }));
    expect(removed(selectImagesToRemove([...machines, ...mine], { repositories, keep: 1 }))).to.deep.equal([
      "t-machine:m2",
      "t-machine:m1",
    ]);
  });
});

describe("how many older tags to keep (keepImages, EXLAB_KEEP_IMAGES)", () => {
  test("2 by default; the environment, then the option, decide", () => {
    expect(keepImagesSetting(undefined, {})).to.equal(2);
    expect(keepImagesSetting(undefined, { EXLAB_KEEP_IMAGES: " 5 " })).to.equal(5);
    expect(keepImagesSetting(undefined, { EXLAB_KEEP_IMAGES: "0" })).to.equal(0);
    expect(keepImagesSetting(undefined, { EXLAB_KEEP_IMAGES: "" })).to.equal(2);
    expect(keepImagesSetting(1, { EXLAB_KEEP_IMAGES: "5" })).to.equal(1);
    expect(keepImagesSetting(undefined, { EXLAB_KEEP_IMAGES: "all" })).to.equal(Infinity);
    expect(keepImagesSetting("all", {})).to.equal(Infinity);
  });

  test("anything else is refused, naming where it came from", () => {
    for (const bad of ["-1", "two", "1.5", "1e3", "2 images"]) {
      expect(() => keepImagesSetting(undefined, { EXLAB_KEEP_IMAGES: bad }))
        .to.throw(InvalidKeepImagesError, `EXLAB_KEEP_IMAGES=${JSON.stringify(bad)} is not usable`)
        .with.property("code", "INVALID_KEEP_IMAGES");
    }
    expect(() => keepImagesSetting(-3, {})).to.throw(InvalidKeepImagesError, /the keepImages option="-3"/);
  });

  test("sizes print in decimal units, as docker does", () => {
    expect(formatBytes(0)).to.equal("0 B");
    expect(formatBytes(999)).to.equal("999 B");
    expect(formatBytes(3_141_000)).to.equal("3.14 MB");
    expect(formatBytes(183_493_330)).to.equal("183.5 MB");
  });
});
