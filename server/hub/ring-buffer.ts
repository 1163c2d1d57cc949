/** An event with its place in the stream; one standing for several (merged) covers fromSeq..seq. */
export type Sequenced = { seq: number; fromSeq?: number };

export const firstSeq = (event: Sequenced): number => event.fromSeq ?? event.seq;

/** The last `capacity` events of one stream, oldest first. */
export class RingBuffer<E extends Sequenced> {
  private items: E[] = [];

  constructor(private readonly capacity: number) {}

  push(event: E): void {
    this.items.push(event);
    // Amortised trim: splice once per `capacity` pushes instead of shifting on every push.
    if (this.items.length >= this.capacity * 2) this.items = this.items.slice(-this.capacity);
  }

  private window(): E[] {
    return this.items.length > this.capacity ? this.items.slice(-this.capacity) : this.items;
  }

  get latestSeq(): number | undefined {
    return this.items.at(-1)?.seq;
  }

  /** Events after `seq`, or undefined when the buffer no longer reaches back that far. */
  after(seq: number): E[] | undefined {
    const window = this.window();
    const oldest = window[0];
    if (!oldest) return [];
    if (firstSeq(oldest) > seq + 1) return undefined;
    return window.filter((e) => e.seq > seq);
  }
}
