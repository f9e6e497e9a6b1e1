/**
 * The base of the lab's error catalogue: every error has a stable `code`, a message saying what was expected, what
 * was seen instead and where to look, and the foreign error (child process, HTTP, proxy API) as `cause`.
 */
export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A step or call named a machine, process, service or link that does not exist; the message lists those that do. */
export class UnknownNameError extends CodedError<"LAB_UNKNOWN_NAME"> {
  constructor(kind: string, name: string, known: readonly string[]) {
    super(
      "LAB_UNKNOWN_NAME",
      `unknown ${kind} "${name}"; known ${kind}s: ${known.length ? known.join(", ") : "(none)"}`,
    );
  }
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
