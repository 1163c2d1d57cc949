/**
 * Sends events on to viewers without holding a lone one back, while a burst goes out at most
 * once per frame with the deltas of one part merged: latency stays at the runner's when the
 * stream is calm, and a fast stream costs each viewer a message per frame, not per token.
 */
export class FrameBatcher<E> {
  private pending: E[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly send: (events: E[]) => void,
    /** Merges a batch (deltas of one part into one); order otherwise kept. */
    private readonly merge: (events: E[]) => E[],
    /** The frame for the batch now pending, in ms (may depend on how many watch). */
    private readonly frameMs: () => number,
  ) {}

  push(events: readonly E[]): void {
    if (events.length === 0) return;
    this.pending.push(...events);
    if (this.timer || this.immediate) return;
    const wait = this.lastSentAt + this.frameMs() - performance.now();
    // Even a lone event waits for the end of this turn of the event loop: the rest of the
    // runner's chunk it came in is handled in that turn, and leaves with it.
    if (wait > 0) this.timer = setTimeout(() => this.flush(), wait);
    else this.immediate = setImmediate(() => this.flush());
  }

  /** Sends what is pending now. */
  flush(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.lastSentAt = performance.now();
    this.send(this.merge(batch));
  }
}
