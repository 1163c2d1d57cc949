export type BackoffOptions = {
  initialMs: number;
  maxMs: number;
  /** A process that stayed up this long before dying starts the backoff over. */
  resetAfterMs: number;
};

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

/** Delay before restart number `attempt` (1-based): doubling from initialMs, capped at maxMs. */
export function restartDelay(attempt: number, options: BackoffOptions): number {
  return Math.min(options.initialMs * 2 ** (attempt - 1), options.maxMs);
}

/**
 * The attempt number of the next restart. `healthyForMs` is how long the process that just
 * died had been serving (0 if it never became ready).
 */
export function nextAttempt(previousAttempt: number, healthyForMs: number, options: BackoffOptions): number {
  return healthyForMs >= options.resetAfterMs ? 1 : previousAttempt + 1;
}
