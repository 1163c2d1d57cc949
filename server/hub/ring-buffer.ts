/** An event with its place in the stream; one standing for several (merged) covers fromSeq..seq. */
export type Sequenced = { seq: number; fromSeq?: number };

export const firstSeq = (event: Sequenced): number => event.fromSeq ?? event.seq;

export type RingBufferLimits = {
  /** Most events kept. */
  count: number;
  /** Most bytes kept (as `bytesOf` estimates them); the newest event is kept whatever its size. */
  bytes: number;
  bytesOf: (event: Sequenced) => number;
};

/** The last events of one stream, oldest first, bounded by count and by bytes. */
export class RingBuffer<E extends Sequenced> {
  private items: E[] = [];
  private sizes: number[] = [];
  /** Index of the oldest kept event: trimming moves it instead of shifting the arrays. */
  private head = 0;
  private bytes = 0;

  constructor(private readonly limits: RingBufferLimits) {}

  /** Keeps the event (dropping the oldest past the limits); returns its estimated bytes. */
  push(event: E): number {
    const size = this.limits.bytesOf(event);
    this.items.push(event);
    this.sizes.push(size);
    this.bytes += size;
    while (this.items.length - this.head > 1 && (this.items.length - this.head > this.limits.count || this.bytes > this.limits.bytes)) {
      this.bytes -= this.sizes[this.head]!;
      this.head++;
    }
    // Amortised compaction: once the dropped prefix is as long as what is kept.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    return size;
  }

  /**
   * Events after `seq`, or undefined when the buffer does not continue it: it no longer reaches
   * back that far, or the event after `seq` is not `seq + 1` (events it never had, such as those
   * an owner lost in a crash before the next one published its own).
   */
  after(seq: number): E[] | undefined {
    const from = this.indexAfter(seq);
    return from === undefined ? undefined : this.items.slice(from);
  }

  /** How many events `after(seq)` would give, without copying them. */
  countAfter(seq: number): number | undefined {
    const from = this.indexAfter(seq);
    return from === undefined ? undefined : this.items.length - from;
  }

  private indexAfter(seq: number): number | undefined {
    // Seqs increase along the buffer: find the first event past `seq` by bisection.
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]!.seq > seq) hi = mid;
      else lo = mid + 1;
    }
    const next = this.items[lo];
    // (No next event: nothing came after `seq` yet.)
    return next && firstSeq(next) > seq + 1 ? undefined : lo;
  }
}
