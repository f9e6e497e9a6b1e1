/** What an engine's JSON-lines progress stream (build, import, pull) said. */
export interface Progress {
  /** Human-readable output lines (build steps, statuses), in order. */
  lines: string[];
  /** The first error the engine reported, if any. */
  error?: string;
  /** Image id announced by the engine (build `aux.ID` or import `status`), if any. */
  imageId?: string;
}

/**
 * Reads a progress stream to its end; `onLine` sees each human-readable line as it comes. Never rejects on an
 * engine-reported error: see `error`.
 */
export async function readProgress(stream: NodeJS.ReadableStream, onLine?: (line: string) => void): Promise<Progress> {
  const progress: Progress = { lines: [] };
  let buffered = "";
  const take = (line: string) => {
    if (line.trim() === "") return;
    let msg: {
      stream?: string;
      status?: string;
      error?: string;
      errorDetail?: { message?: string };
      aux?: { ID?: string };
    };
    try {
      msg = JSON.parse(line);
    } catch {
      progress.lines.push(line);
      onLine?.(line);
      return;
    }
    const said = msg.stream ? msg.stream.split("\n").filter((l) => l.trim() !== "") : [];
    if (msg.status) said.push(msg.status);
    progress.lines.push(...said);
    if (onLine) said.forEach((l) => onLine(l));
    if (msg.status && /^sha256:[0-9a-f]{64}$/.test(msg.status)) progress.imageId = msg.status;
    if (msg.aux?.ID) progress.imageId = msg.aux.ID;
    const error = msg.error ?? msg.errorDetail?.message;
    if (error && progress.error === undefined) progress.error = error;
  };
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    buffered += chunk.toString();
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    parts.forEach(take);
  }
  take(buffered);
  return progress;
}
