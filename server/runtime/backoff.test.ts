import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, nextAttempt, restartDelay } from "./backoff";

describe("restart backoff", () => {
  const opts = { initialMs: 500, maxMs: 4_000, resetAfterMs: 60_000 };

  it("doubles from the initial delay and stays at the cap", () => {
    expect([1, 2, 3, 4, 5, 9].map((a) => restartDelay(a, opts))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it("counts up while the process keeps dying young, and starts over after a healthy period", () => {
    expect(nextAttempt(0, 0, opts)).toBe(1);
    expect(nextAttempt(3, 59_999, opts)).toBe(4);
    expect(nextAttempt(3, 60_000, opts)).toBe(1);
  });

  it("has defaults that cap well under a minute", () => {
    expect(restartDelay(50, DEFAULT_BACKOFF)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(DEFAULT_BACKOFF.maxMs).toBeLessThanOrEqual(60_000);
  });
});
