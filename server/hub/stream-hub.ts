import { RingBuffer } from "./ring-buffer";

export type Sequenced = { seq: number };

export type HubOptions<E extends Sequenced> = {
  /** Events kept per stream for reconnecting clients. */
  bufferSize: number;
  /** Live events queued per subscriber before it is considered too slow and resynced. */
  maxQueue: number;
  /** Materialized state of a stream, complete up to and including its `seq`. */
  snapshot: (key: string) => Promise<E>;
};

type Listener<E> = { queue: E[]; wake: () => void; overflowed: boolean };

/**
 * Fans out sequenced events per stream (a root session) to any number of subscribers.
 * A subscriber that reconnects with its last seq gets exactly what it missed from the buffer,
 * or, when it is further behind than the buffer, a snapshot and then the live tail.
 * Events must be published in seq order, after they are stored, so a snapshot never runs ahead.
 */
export class StreamHub<E extends Sequenced> {
  private readonly buffers = new Map<string, RingBuffer<E>>();
  private readonly listeners = new Map<string, Set<Listener<E>>>();
  /** Snapshots being loaded, shared by every subscriber that needs one meanwhile. */
  private readonly loading = new Map<string, Promise<E>>();

  constructor(private readonly options: HubOptions<E>) {}

  publish(key: string, event: E): void {
    let buffer = this.buffers.get(key);
    if (!buffer) this.buffers.set(key, (buffer = new RingBuffer(this.options.bufferSize)));
    buffer.push(event);
    for (const listener of this.listeners.get(key) ?? []) {
      if (listener.queue.length >= this.options.maxQueue) listener.overflowed = true;
      else listener.queue.push(event);
      listener.wake();
    }
  }

  subscriberCount(key: string): number {
    return this.listeners.get(key)?.size ?? 0;
  }

  /** Forget a stream's buffer (its session is gone); subscribers fall back to snapshots. */
  drop(key: string): void {
    this.buffers.delete(key);
  }

  private snapshotOf(key: string): Promise<E> {
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.options.snapshot(key).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  async *subscribe(key: string, lastSeq: number | undefined, signal: AbortSignal): AsyncGenerator<E> {
    const listener: Listener<E> = { queue: [], wake: () => {}, overflowed: false };
    const onAbort = () => listener.wake();
    signal.addEventListener("abort", onAbort, { once: true });
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    // Register before reading buffer or snapshot so nothing published meanwhile is missed.
    set.add(listener);
    try {
      let cursor: number;
      const missed = lastSeq === undefined ? undefined : this.buffers.get(key)?.after(lastSeq);
      if (missed && lastSeq !== undefined) {
        cursor = lastSeq;
        for (const event of missed) yield event;
        cursor = missed.at(-1)?.seq ?? cursor;
      } else {
        const snapshot = await this.snapshotOf(key);
        yield snapshot;
        cursor = snapshot.seq;
        // A shared snapshot may predate this listener: the buffer holds what came since.
        for (const event of this.buffers.get(key)?.after(cursor) ?? []) {
          yield event;
          cursor = event.seq;
        }
      }
      while (!signal.aborted) {
        const next = listener.queue.shift();
        // A subscriber too slow to keep up, or a hole in what it received, starts over from a
        // snapshot rather than growing without bound or showing a gap.
        if (listener.overflowed || (next && next.seq > cursor + 1)) {
          listener.overflowed = false;
          listener.queue = [];
          const snapshot = await this.snapshotOf(key);
          yield snapshot;
          cursor = snapshot.seq;
          continue;
        }
        if (next) {
          if (next.seq > cursor) {
            cursor = next.seq;
            yield next;
          }
          continue;
        }
        await new Promise<void>((resolve) => (listener.wake = resolve));
        listener.wake = () => {};
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    }
  }
}
