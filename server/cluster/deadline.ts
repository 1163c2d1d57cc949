/**
 * Waits for `promise`, but no longer than `ms`: Redis commands wait for a Redis that is away
 * instead of failing, and some callers must go on without it. Never rejects.
 */
export function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}
