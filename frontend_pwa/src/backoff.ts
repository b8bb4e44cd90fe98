/** Exponential backoff with jitter, so that many phones coming back online do not retry in step. */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

/** Delay before retry number `failures` (1 = first retry). `random` in [0, 1). */
export function backoffDelay(failures: number, random: number = Math.random(), base = BACKOFF_BASE_MS, max = BACKOFF_MAX_MS): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(max, base * 2 ** Math.min(failures - 1, 30));
  // "Equal jitter": at least half the ceiling, so the delay still grows.
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
