/**
 * Screenshots a report page with a headless chromium (Debian: `apt-get install -y chromium`), or dumps the DOM it
 * made of it; the tests that use it skip without a chromium. As a script:
 * `node dist/evidence/screenshot.js [--workloads] [index.html] [out.png]`; without a page it writes a demo report
 * into a temporary directory first (the demo run, or with `--workloads` the workload demo, its scenario open).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { demoRunReport } from "./demo-run";
import { demoWorkloadHistory } from "./demo-workloads";
import { ChromiumMissingError, ScreenshotError } from "./errors";
import { sessionReport } from "./report/session";
import { writeRunReport } from "./report/write";
import { historyEnd } from "./workload-stats";

export interface ScreenshotOptions {
  /** @default <dir of the page>/report.png */
  out?: string;
  /** @default 1400 */
  width?: number;
  /** @default 1800 */
  height?: number;
  /** The browser binary. @default $CHROMIUM, else chromium / chromium-browser / google-chrome on PATH */
  chromium?: string;
  /** @default 60000 */
  timeoutMs?: number;
}

export function findChromium(explicit = process.env.CHROMIUM): string {
  if (explicit) {
    if (existsSync(explicit)) return explicit;
    throw new ChromiumMissingError(`CHROMIUM points at ${explicit}, which does not exist.`);
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const name of ["chromium", "chromium-browser", "google-chrome"])
      if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  throw new ChromiumMissingError(
    "No chromium on PATH: install it (Debian: `apt-get install -y chromium`) or set CHROMIUM=/path/to/chromium.",
  );
}

/** The flags of a headless, offline, throwaway chromium. */
function headlessArgs(profile: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    `--user-data-dir=${profile}`,
  ];
}

/** Runs chromium with a throwaway profile; resolves with its stdout, or `fail(err, stderr)` decides. */
async function runChromium(
  bin: string,
  args: (profile: string) => string[],
  timeoutMs: number,
  fail: (err: Error, stderr: string) => Error | undefined,
): Promise<string> {
  const profile = mkdtempSync(path.join(os.tmpdir(), "exlab-chromium-"));
  try {
    return await new Promise<string>((resolve, reject) => {
      execFile(
        bin,
        [...headlessArgs(profile), ...args(profile)],
        { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const problem = err ? fail(err, String(stderr)) : undefined;
          if (problem) reject(problem);
          else resolve(String(stdout));
        },
      );
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const lastLines = (stderr: string) => stderr.trim().split("\n").slice(-3).join(" | ");

/** Renders `htmlPath` headless and returns the PNG's path. */
export async function screenshot(htmlPath: string, o: ScreenshotOptions = {}): Promise<string> {
  const page = path.resolve(htmlPath);
  if (!existsSync(page)) throw new ScreenshotError(`No page to screenshot at ${page}.`);
  const bin = findChromium(o.chromium);
  const out = path.resolve(o.out ?? path.join(path.dirname(page), "report.png"));
  rmSync(out, { force: true });
  await runChromium(
    bin,
    () => [`--screenshot=${out}`, `--window-size=${o.width ?? 1400},${o.height ?? 1800}`, pathToFileURL(page).href],
    o.timeoutMs ?? 60_000,
    (err, stderr) =>
      existsSync(out)
        ? undefined
        : new ScreenshotError(`chromium failed (${err.message}); last output: ${lastLines(stderr)}`, { cause: err }),
  );
  if (!existsSync(out) || statSync(out).size === 0)
    throw new ScreenshotError(`chromium exited but wrote no screenshot at ${out}.`);
  return out;
}

/**
 * Loads `htmlPath` headless, runs its scripts, and returns the DOM as chromium serializes it (`--dump-dom`): what
 * a test reads back to check what the page really holds once a browser parsed it.
 */
export async function dumpDom(htmlPath: string, o: Omit<ScreenshotOptions, "out"> = {}): Promise<string> {
  const page = path.resolve(htmlPath);
  if (!existsSync(page)) throw new ScreenshotError(`No page to load at ${page}.`);
  const dom = await runChromium(
    findChromium(o.chromium),
    () => ["--dump-dom", `--window-size=${o.width ?? 1400},${o.height ?? 1800}`, pathToFileURL(page).href],
    o.timeoutMs ?? 60_000,
    (err, stderr) =>
      new ScreenshotError(`chromium failed (${err.message}); last output: ${lastLines(stderr)}`, { cause: err }),
  );
  if (!dom.trim()) throw new ScreenshotError(`chromium dumped no DOM for ${page}.`);
  return dom;
}

async function main(argv: string[]): Promise<void> {
  const workloads = argv.includes("--workloads");
  const [given, out] = argv.filter((a) => a !== "--workloads");
  let page = given;
  if (!page) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "exlab-demo-report-"));
    if (workloads) {
      const { history } = demoWorkloadHistory();
      const written = await writeRunReport(dir, sessionReport(history, history.startedAt + historyEnd(history) + 100));
      page = path.join(dir, "open.html");
      writeFileSync(page, readFileSync(written.html, "utf8").replace(/<details>/g, "<details open>"));
    } else page = (await writeRunReport(dir, demoRunReport())).html;
  }
  console.log(await screenshot(page, { out }));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error & { code?: string }) => {
    console.error(`${err.code ?? "ERROR"}: ${err.message}`);
    process.exitCode = 1;
  });
}
