import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../runs";

/** Cucumber's configuration files, in the order cucumber itself looks for them. */
const CONFIG_FILES = ["cucumber.js", "cucumber.cjs", "cucumber.mjs", "cucumber.json", "cucumber.yaml", "cucumber.yml"];
const SUPPORT = /\.(c|m)?(j|t)s$/;
const SKIP = new Set(["node_modules", "dist", "reports", ".git"]);

/** Where a run finds things in the project it runs in (a user's repository, or this package's own checkout). */
export interface ProjectLayout {
  /** The project folder (where `exlab run` was started). */
  dir: string;
  /** exchange-lab's own root (bundled features, topologies, steps). */
  packageRoot: string;
  /** `"type": "module"` in the project's package.json. */
  esm: boolean;
  /** The project's cucumber configuration file, if it has one. */
  configFile?: string;
  /** Features run when no path is given: the project's features/, else the bundled ones. */
  features: string[];
  /** Where topology names are looked up: the project's topologies/, then the bundled ones. */
  topologiesDirs: string[];
  /** The project's own step definitions and support files (step_definitions/, features/**): JS and TS. */
  support: { javascript: string[]; typescript: string[] };
}

export function projectLayout(dir: string): ProjectLayout {
  const root = packageRoot();
  const own = (name: string) => path.join(dir, name);
  const pkgFile = own("package.json");
  const pkg = existsSync(pkgFile) ? (JSON.parse(readFileSync(pkgFile, "utf8")) as { type?: string }) : {};
  const support = [own("step_definitions"), own("features")].flatMap(supportFiles);
  return {
    dir,
    packageRoot: root,
    esm: pkg.type === "module",
    configFile: CONFIG_FILES.find((f) => existsSync(own(f))),
    features: [existsSync(own("features")) ? own("features") : path.join(root, "features")],
    topologiesDirs: [...new Set([own("topologies"), path.join(root, "topologies")])],
    support: {
      javascript: support.filter((f) => /\.(c|m)?js$/.test(f)),
      typescript: support.filter((f) => /\.(c|m)?ts$/.test(f) && !f.endsWith(".d.ts")),
    },
  };
}

function supportFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !SKIP.has(e.name))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return supportFiles(p);
      return SUPPORT.test(e.name) ? [p] : [];
    })
    .sort();
}
