const MAX_TIMEOUT = 2_147_483_647;

/** setTimeout for any non-negative delay (Node caps a single timer at ~24.8 days). Returns a cancel function. */
export function schedule(ms: number, fire: () => void): () => void {
  let timer: NodeJS.Timeout;
  let remaining = ms;
  const arm = (): void => {
    const step = Math.min(remaining, MAX_TIMEOUT);
    remaining -= step;
    timer = setTimeout(remaining > 0 ? arm : fire, step);
  };
  arm();
  return () => clearTimeout(timer);
}
