"use strict";
// An append-only journal of JSON records, one per line, made durable one record at a time.
//
// Contract: append() returns only after the record's line is written and fsync'ed, so a record whose append
// returned survives a crash of the process or of the machine. A crash in the middle of an append can leave a torn
// last line (the bytes after the last newline); open() drops it (it was never acknowledged) and truncates the file
// there, so the next append starts on a clean line. A complete line that is not JSON is damage, not a crash: open()
// refuses the file rather than guess. The directory is created when missing.

const fs = require("node:fs");
const path = require("node:path");

class Journal {
  /** Opens (or creates) `<dir>/<file>` and reads back every complete record, in order. */
  static open(dir, file = "journal.ndjson") {
    fs.mkdirSync(dir, { recursive: true });
    const where = path.join(dir, file);
    const bytes = fs.existsSync(where) ? fs.readFileSync(where) : Buffer.alloc(0);
    const records = [];
    let kept = 0; // bytes of complete, readable lines
    for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, kept)) {
      try {
        records.push(JSON.parse(bytes.toString("utf8", kept, nl)));
      } catch (err) {
        // Only the last line, the one without a newline, can be torn by a crash; a bad complete line is damage
        // that truncating would make worse.
        throw new Error(`${where}: the line at byte ${kept} is not JSON (${err.message}); repair or move the file`);
      }
      kept = nl + 1;
    }
    const torn = bytes.length - kept;
    const fd = fs.openSync(where, "a+");
    if (torn > 0) {
      fs.ftruncateSync(fd, kept);
      fs.fsyncSync(fd);
    }
    // A new file's directory entry is durable only once the directory is synced too.
    syncDir(dir);
    return new Journal(where, fd, records, torn);
  }

  constructor(file, fd, records, tornBytes) {
    this.file = file;
    this.fd = fd;
    /** The records read back at open(). */
    this.records = records;
    /** Bytes of a torn last line that open() dropped (0 normally). */
    this.tornBytes = tornBytes;
  }

  /** Writes one record as a line and fsyncs it; returns once it is durable. */
  append(record) {
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    for (let done = 0; done < line.length;) done += fs.writeSync(this.fd, line, done);
    fs.fsyncSync(this.fd);
  }

  close() {
    fs.closeSync(this.fd);
  }
}

function syncDir(dir) {
  let fd;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the file's own fsync is what matters most.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

module.exports = { Journal };
