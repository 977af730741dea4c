// When a failed delivery is tried again: exponential backoff with jitter, for a window (24 h by
// default) from when the delivery was planned or redelivered; after it, the delivery fails.

export interface RetryPolicy {
  /** The first retry's delay (before jitter). */
  initialDelayMs: number;
  /** No delay grows past this. */
  maxDelayMs: number;
  /** How long after planning a delivery is still tried. */
  windowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialDelayMs: 10_000, maxDelayMs: 3_600_000, windowMs: 24 * 3_600_000 };

/**
 * The delay before attempt `attempts + 1`, after `attempts` failed ones: initial * 2^(attempts-1),
 * capped, then "equal jitter" (half fixed, half random) so that receivers that failed together are
 * not all called again in the same instant.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 40)));
  return Math.round(base / 2 + (random() * base) / 2);
}
