/** A sub-command's verdict: the first non-zero code wins. Only main.ts turns it into the process's exit. */
export function setExit(code: number): void {
  if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
}
