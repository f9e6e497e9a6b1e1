/**
 * Screenshots a report page with a headless chromium (Debian: `apt-get install -y chromium`). Not part of
 * `npm test`. As a script: `node dist/evidence/screenshot.js [index.html] [out.png]`; without a page it
 * writes the demo run report into a temporary directory first.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { demoRunReport } from "./demo-run";
import { ChromiumMissingError, ScreenshotError } from "./errors";
import { writeRunReport } from "./report/write";

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

/** Renders `htmlPath` headless and returns the PNG's path. */
export async function screenshot(htmlPath: string, o: ScreenshotOptions = {}): Promise<string> {
  const page = path.resolve(htmlPath);
  if (!existsSync(page)) throw new ScreenshotError(`No page to screenshot at ${page}.`);
  const bin = findChromium(o.chromium);
  const out = path.resolve(o.out ?? path.join(path.dirname(page), "report.png"));
  const profile = mkdtempSync(path.join(os.tmpdir(), "exlab-chromium-"));
  const args = [
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
    `--screenshot=${out}`,
    `--window-size=${o.width ?? 1400},${o.height ?? 1800}`,
    pathToFileURL(page).href,
  ];
  rmSync(out, { force: true });
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(bin, args, { timeout: o.timeoutMs ?? 60_000 }, (err, _stdout, stderr) => {
        if (err && !existsSync(out))
          reject(
            new ScreenshotError(
              `chromium failed (${err.message}); last output: ${String(stderr).trim().split("\n").slice(-3).join(" | ")}`,
              { cause: err },
            ),
          );
        else resolve();
      });
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  if (!existsSync(out) || statSync(out).size === 0)
    throw new ScreenshotError(`chromium exited but wrote no screenshot at ${out}.`);
  return out;
}

async function main(argv: string[]): Promise<void> {
  let page = argv[0];
  if (!page) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "exlab-demo-report-"));
    page = (await writeRunReport(dir, demoRunReport())).html;
  }
  console.log(await screenshot(page, { out: argv[1] }));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error & { code?: string }) => {
    console.error(`${err.code ?? "ERROR"}: ${err.message}`);
    process.exitCode = 1;
  });
}
