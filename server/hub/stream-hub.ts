import { pause } from "./pause";
import { approxBytes } from "./approx-bytes";
import type { LiveStreams } from "./live-streams";
import { firstSeq, RingBuffer, type Sequenced } from "./ring-buffer";

export type { Sequenced };

/** Events of one stream with consecutive seqs, oldest first; never empty, never mutated. */
export type Chunk<E> = readonly E[];

export type HubOptions<E extends Sequenced> = {
  /** Events kept per stream for reconnecting clients. */
  bufferSize: number;
  /** Bytes kept per stream (estimated); default 32 MB. */
  bufferBytes?: number;
  /** Live events queued per subscriber before it is considered too slow and resynced. */
  maxQueue: number;
  /** Bytes queued per subscriber before the same (estimated); default 16 MB. */
  maxQueueBytes?: number;
  /** Materialized state of a stream, complete up to and including its `seq`. */
  snapshot: (key: string) => Promise<E>;
};

/** How often, and how far apart, a snapshot that would rewind a viewer or leave a gap is loaded again. */
const SNAPSHOT_RETRIES = 20;
const SNAPSHOT_RETRY_MS = 250;

/** Most events one replayed chunk carries, so a long catch-up arrives as several messages. */
const MAX_REPLAY_CHUNK = 500;

/** Most buffered events a reused snapshot may be behind; past that a subscriber gets a fresh one. */
const MAX_SNAPSHOT_LAG = MAX_REPLAY_CHUNK;

type Listener<E> = { queue: Chunk<E>[]; queued: number; queuedBytes: number; wake: () => void; overflowed: boolean };

const MB = 2 ** 20;

/**
 * Fans out sequenced events per stream (a root session) to any number of subscribers.
 * A subscriber that reconnects with its last seq gets exactly what it missed from the buffer,
 * or, when it is further behind than the buffer, a snapshot and then the live tail.
 * Events must be published in seq order, after they are stored, so a snapshot never runs ahead.
 *
 * Events travel in chunks: what one publish carried reaches every caught-up subscriber as the
 * SAME frozen array, so a transport can encode it once for all of them (fan-out is otherwise
 * bound by encoding every event once per viewer).
 */
export class StreamHub<E extends Sequenced> implements LiveStreams<E> {
  private readonly buffers = new Map<string, RingBuffer<E>>();
  private readonly listeners = new Map<string, Set<Listener<E>>>();
  /** Snapshots being loaded, shared by every subscriber that needs one meanwhile. */
  private readonly loading = new Map<string, Promise<Chunk<E>>>();
  /**
   * The last snapshot of each watched stream, which later subscribers start from (with the
   * buffer's events after it) while it is only a little behind: a crowd opening one session
   * loads, and a transport encodes, one snapshot instead of one each.
   */
  private readonly latest = new Map<string, Chunk<E>>();
  /** Streams whose producer said it has nothing more for now: released with their last viewer. */
  private readonly released = new Set<string>();

  constructor(private readonly options: HubOptions<E>) {}

  /** Publishes events of one stream, in seq order. */
  publish(key: string, events: readonly E[]): void {
    this.released.delete(key);
    let buffer = this.buffers.get(key);
    if (!buffer) {
      buffer = new RingBuffer<E>({ count: this.options.bufferSize, bytes: this.options.bufferBytes ?? 32 * MB, bytesOf: approxBytes });
      this.buffers.set(key, buffer);
    }
    for (const chunk of consecutiveRuns(events)) {
      let bytes = 0;
      for (const event of chunk) bytes += buffer.push(event);
      this.deliver(key, chunk, bytes);
    }
  }

  private deliver(key: string, chunk: Chunk<E>, bytes: number): void {
    for (const listener of this.listeners.get(key) ?? []) {
      // A viewer that does not read (a stalled connection) is not queued for without bound: it
      // starts over from a snapshot when it reads again, and the others never wait for it.
      if (listener.queued + chunk.length > this.options.maxQueue || listener.queuedBytes + bytes > (this.options.maxQueueBytes ?? 16 * MB)) {
        listener.overflowed = true;
        listener.queue = [];
        listener.queued = listener.queuedBytes = 0;
      } else {
        listener.queue.push(chunk);
        listener.queued += chunk.length;
        listener.queuedBytes += bytes;
      }
      listener.wake();
    }
  }

  /**
   * The producer has nothing more for this stream for now (its bridge closed, its tree went
   * idle): the buffer goes as soon as no one watches. A later publish starts a new one; a viewer
   * resuming meanwhile gets a snapshot.
   */
  release(key: string): void {
    this.released.add(key);
    if (!this.listeners.has(key)) this.forget(key);
  }

  private forget(key: string): void {
    this.buffers.delete(key);
    this.released.delete(key);
  }

  /** How many streams hold a buffer (what a released tree no longer costs). */
  bufferedStreams(): number {
    return this.buffers.size;
  }

  subscriberCount(key: string): number {
    return this.listeners.get(key)?.size ?? 0;
  }

  /** Every subscriber starts over from a fresh snapshot: the tree changed outside its events. */
  resync(key: string): void {
    this.forgetSnapshots(key);
    for (const listener of this.listeners.get(key) ?? []) {
      listener.overflowed = true;
      listener.wake();
    }
  }

  /** Forget a stream's buffer (its session is gone); subscribers fall back to snapshots. */
  drop(key: string): void {
    this.forgetSnapshots(key);
    this.forget(key);
  }

  /** Snapshots loaded, or being loaded, before the stream changed outside its events are not reused. */
  private forgetSnapshots(key: string): void {
    this.latest.delete(key);
    this.loading.delete(key);
  }

  /** A snapshot: the latest one (`reuse`) while it is at `atLeast` or later and the buffer continues it closely, else a new load. */
  private snapshotOf(key: string, atLeast: number, reuse: boolean): Promise<Chunk<E>> {
    const latest = reuse ? this.latest.get(key) : undefined;
    if (latest && latest[0]!.seq >= atLeast && this.continues(key, latest[0]!.seq)) return Promise.resolve(latest);
    const loading = this.loading.get(key);
    if (loading) return loading;
    const pending: Promise<Chunk<E>> = this.options
      .snapshot(key)
      .then((snapshot) => {
        const chunk = Object.freeze([snapshot]);
        // Kept for whoever subscribes next, unless the stream changed (or lost its viewers) meanwhile.
        const kept = this.latest.get(key);
        if (this.loading.get(key) === pending && this.listeners.has(key) && (!kept || kept[0]!.seq <= snapshot.seq)) this.latest.set(key, chunk);
        return chunk;
      })
      .finally(() => {
        if (this.loading.get(key) === pending) this.loading.delete(key);
      });
    this.loading.set(key, pending);
    return pending;
  }

  /** Whether the buffer holds every event after `seq`, from `seq + 1` on, and few enough of them. (No buffer: nothing was published since.) */
  private continues(key: string, seq: number): boolean {
    const buffer = this.buffers.get(key);
    if (!buffer) return true;
    const missed = buffer.countAfter(seq);
    return missed !== undefined && missed <= MAX_SNAPSHOT_LAG;
  }

  /** What the buffer holds after `seq`, in chunks; undefined when it does not continue `seq`. */
  private replay(key: string, seq: number): Chunk<E>[] | undefined {
    const missed = this.buffers.get(key)?.after(seq);
    if (!missed) return undefined;
    return consecutiveRuns(missed).flatMap((run) => {
      const pieces: Chunk<E>[] = [];
      for (let i = 0; i < run.length; i += MAX_REPLAY_CHUNK) pieces.push(run.slice(i, i + MAX_REPLAY_CHUNK));
      return pieces;
    });
  }

  async *subscribe(key: string, lastSeq: number | undefined, signal: AbortSignal): AsyncGenerator<Chunk<E>> {
    const listener: Listener<E> = { queue: [], queued: 0, queuedBytes: 0, wake: () => {}, overflowed: false };
    const onAbort = () => listener.wake();
    signal.addEventListener("abort", onAbort, { once: true });
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    // Register before reading buffer or snapshot so nothing published meanwhile is missed.
    set.add(listener);
    let cursor = lastSeq ?? 0;
    let backlog = lastSeq === undefined ? undefined : this.replay(key, lastSeq);
    let resync = backlog === undefined;
    let retries = 0;
    try {
      while (!signal.aborted) {
        // A new or too distant subscriber, one too slow to keep up (rather than queueing without
        // bound) and one that would see a gap all start over from a snapshot.
        if (resync || listener.overflowed) {
          // One that fell behind (or was told to start over) gets a new snapshot, not a replay.
          const reuse = !listener.overflowed;
          resync = listener.overflowed = false;
          listener.queue = [];
          listener.queued = listener.queuedBytes = 0;
          const snapshot = await this.snapshotOf(key, cursor, reuse);
          // A shared snapshot may predate this listener: the buffer holds what came since, and
          // whatever is published after this point reaches the queue.
          // (No buffer at all: nothing was published since.)
          const after = this.buffers.has(key) ? this.replay(key, snapshot[0]!.seq) : [];
          // One older than what this viewer shows (the store is behind what was published: an
          // owner changing hands) or one the buffer does not continue is loaded again shortly,
          // a few times, rather than rewinding the viewer or asking the database back to back.
          if ((snapshot[0]!.seq < cursor || after === undefined) && retries < SNAPSHOT_RETRIES) {
            retries++;
            await pause(SNAPSHOT_RETRY_MS, signal);
            resync = true;
            continue;
          }
          retries = 0;
          backlog = after;
          resync = backlog === undefined;
          cursor = snapshot[0]!.seq;
          yield snapshot;
          continue;
        }
        let chunks: Chunk<E>[];
        if (backlog?.length) [chunks, backlog] = [backlog, []];
        else if (listener.queue.length) {
          [chunks, listener.queue, listener.queued, listener.queuedBytes] = [listener.queue, [], 0, 0];
        } else {
          await new Promise<void>((resolve) => (listener.wake = resolve));
          listener.wake = () => {};
          continue;
        }
        for (let chunk of chunks) {
          if (chunk.at(-1)!.seq <= cursor) continue;
          if (firstSeq(chunk[0]!) > cursor + 1) {
            resync = true;
            break;
          }
          // Resume points are chunk ends, so no merged event straddles the cursor.
          if (chunk[0]!.seq <= cursor) chunk = chunk.filter((e) => e.seq > cursor);
          cursor = chunk.at(-1)!.seq;
          // As published: the same object every caught-up viewer gets.
          yield chunk;
        }
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) {
        this.listeners.delete(key);
        this.latest.delete(key);
        if (this.released.has(key)) this.forget(key);
      }
    }
  }
}

/** Splits events at seq gaps (an event the store refused), so subscribers notice the gap. */
export function consecutiveRuns<E extends Sequenced>(events: readonly E[]): Chunk<E>[] {
  const runs: E[][] = [];
  for (const event of events) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.seq + 1 === firstSeq(event)) run.push(event);
    else runs.push([event]);
  }
  return runs.map((run) => Object.freeze(run));
}
