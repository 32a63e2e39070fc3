import type { RetryPolicy } from '../runs/types.js'

/**
 * The wait before attempt `attempt + 1`: exponential from `backoffMs`, capped at `maxBackoffMs`,
 * with "equal jitter" (half fixed, half random) so retries of a burst do not arrive together.
 */
export function backoffDelay (attempt: number, policy: Pick<RetryPolicy, 'backoffMs' | 'maxBackoffMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + random() * ceiling / 2)
}
