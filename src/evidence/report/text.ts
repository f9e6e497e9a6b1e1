/** Escaping and formatting shared by the HTML and JUnit writers. */

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const INVALID_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Removes terminal colour codes and characters XML 1.0 cannot carry. */
export function clean(s: string): string {
  return s.replace(ANSI, "").replace(INVALID_XML, "");
}

/** Escapes text for XML/HTML element content and attribute values (after {@link clean}). */
export function esc(s: string | number | undefined): string {
  return clean(String(s ?? ""))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Like {@link esc}, and also keeps line breaks inside an attribute value. */
export function escAttr(s: string | undefined): string {
  return esc(s).replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

export function firstLine(s: string | undefined): string {
  return (
    clean(s ?? "")
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? ""
  );
}

/** 850 ms · 1.2 s · 1 m 05 s */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} m ${String(s).padStart(2, "0")} s`;
}

/** Seconds with 3 decimals, as JUnit wants. */
export function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
