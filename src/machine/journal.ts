import * as fs from "node:fs";
import { join } from "node:path";
import type { MachineLogEntry } from "./machine-log";

/**
 * The machine log on disk: `<runDir>/events.ndjson`, one entry per line, in `mseq` order, written synchronously
 * as entries arrive. A supervisor that is killed (a machine crash) or that exits after a shutdown can no longer
 * answer `GET /events`; the lab then reads what it had not pulled from here, so a history loses nothing the
 * supervisor received. Each supervisor start truncates the file: its `mseq` starts again at 1.
 */
export const JOURNAL_FILE = "events.ndjson";

export function journalPath(runDir: string): string {
  return join(runDir, JOURNAL_FILE);
}

export class Journal {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, "w");
  }

  /** Appends entries with one write (a kill between two writes leaves whole lines). */
  append(entries: readonly MachineLogEntry[]): void {
    if (this.fd === undefined || entries.length === 0) return;
    let text = "";
    for (const e of entries) text += JSON.stringify(e) + "\n";
    fs.writeSync(this.fd, text);
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The entries of the journal at `path` with `mseq` greater than `since`, in order. A missing file (the machine's
 * directory is not shared with this host, or the supervisor never started) gives none; a torn last line is left out.
 */
export function readJournal(path: string, since: number): MachineLogEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const entries: MachineLogEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    let entry: MachineLogEntry;
    try {
      entry = JSON.parse(line) as MachineLogEntry;
    } catch {
      break;
    }
    if (entry.mseq > since) entries.push(entry);
  }
  return entries;
}
