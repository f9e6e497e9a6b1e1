import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** The package root (the folder with package.json above this file, in src/ or dist/). */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

/** A compiled script of this package (under dist/), whichever copy of the lab is running. */
export function distScript(relative: string): string {
  return join(packageRoot(), "dist", relative);
}

/**
 * Where labs keep the logs of their runs when given no runDir: `$EXLAB_RUNS_DIR/<runId>`, else `<os tmpdir>/exlab-
 * runs/<runId>`.
 */
export function defaultRunsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.EXLAB_RUNS_DIR || join(tmpdir(), "exlab-runs");
}

const TEST_ONLY_FILE = /(\.test|-test-utils|(^|\/)test-support|-test-kit)\.(js|js\.map|d\.ts|d\.ts\.map)$/;

/** Compiled tests and their helpers: shipped neither in the npm package nor in images (package.json `files`). */
export function isTestOnlyFile(path: string): boolean {
  return TEST_ONLY_FILE.test(path);
}
