import type { Redis } from "ioredis";
import type { Logger } from "~/server/log";
import { onReconnected, type RedisKeys } from "./redis";

export type StreamTailerOptions = {
  /** For reading a stream's window and waking the reader. */
  redis: Redis;
  /** A connection of its own, blocked in XREAD most of the time; the tailer closes it. */
  reader: Redis;
  keys: RedisKeys;
  instanceId: string;
  log: Logger;
  /** Entries of a followed stream (each its field/value list), in stream order. */
  onEntries: (streamKey: string, entries: readonly (readonly string[])[]) => void;
  /**
   * The reader lost Redis and has it again. What was appended meanwhile, or lost with a Redis
   * that restarted (it keeps nothing), may never be read: viewers should start over.
   */
  onReconnected: () => void;
  /** Most entries read when a stream starts being followed (its newest). */
  window: number;
  /** Longest single blocking read; bounds how long a wake-up that went astray can delay. Default 5 s. */
  blockMs?: number;
};

type Tail = { stream: string; cursor: string; reading: boolean };

/** Before every id: the stream from its start. */
const START = "0-0";
/** Most entries one read takes from one stream. */
const BATCH = 1_000;
const RETRY_MS = 500;
const WAKE_TTL_MS = 60_000;

/**
 * Follows the Redis Streams of one instance's viewed trees with ONE blocking reader
 * (`XREAD BLOCK` over every followed stream), so viewers cost no connection each. Following a
 * stream first reads what it holds (its newest `window` entries), then the reader continues
 * from the last id read, so nothing appended in between is missed. A stream followed while the
 * reader is blocked wakes it by an entry on the instance's own wake stream, which the reader
 * always reads too: an entry appended before the read reaches Redis ends it as well, so no
 * wake-up is lost to a race.
 *
 * When the reader reconnects, every stream is read again from its start: a Redis that restarted
 * has new streams whose ids owe nothing to the old ones (the caller drops what it already has,
 * by seq), and no read waits on an id from before the restart.
 */
export class StreamTailer {
  private readonly tails = new Map<string, Tail>();
  private readonly wakeKey: string;
  private wakeCursor = START;
  /** Bumped on each reconnection: a read begun before it is ignored. */
  private epoch = 0;
  private idle: (() => void) | undefined;
  private blocked = false;
  private closed = false;
  /** Settles on close: a read on a connection closed while Redis was away may never settle. */
  private readonly closing: Promise<null>;
  private stop: () => void = () => {};
  private readonly running: Promise<void>;
  private readonly stopListening: () => void;

  constructor(private readonly options: StreamTailerOptions) {
    this.wakeKey = options.keys.tailerWake(options.instanceId);
    this.closing = new Promise((resolve) => (this.stop = () => resolve(null)));
    this.stopListening = onReconnected(options.reader, () => this.restart());
    this.running = this.run();
  }

  /**
   * Starts following a tree's stream: resolves once what the stream holds now went to
   * `onEntries` (or could not be read: the reader then reads it from its start).
   */
  async follow(streamKey: string): Promise<void> {
    const tail: Tail = { stream: this.options.keys.treeStream(streamKey), cursor: START, reading: false };
    this.tails.set(streamKey, tail);
    const epoch = this.epoch;
    try {
      const entries = (await this.options.redis.xrevrange(tail.stream, "+", "-", "COUNT", this.options.window)).reverse();
      if (this.tails.get(streamKey) !== tail) return;
      if (entries.length > 0) {
        this.options.onEntries(streamKey, entries.map(([, fields]) => fields));
        // Ids read from a Redis that restarted since mean nothing to the new one.
        if (epoch === this.epoch) tail.cursor = entries.at(-1)![0];
      }
    } catch (error) {
      this.options.log.warn({ err: error, streamKey }, "live stream window not read from Redis; tailing it from its start");
    }
    if (this.tails.get(streamKey) !== tail) return;
    tail.reading = true;
    this.wake();
  }

  unfollow(streamKey: string): void {
    this.tails.delete(streamKey);
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const reading = [...this.tails].filter(([, tail]) => tail.reading);
      if (reading.length === 0) {
        await new Promise<void>((resolve) => (this.idle = resolve));
        this.idle = undefined;
        continue;
      }
      const epoch = this.epoch;
      let reply: [string, [string, string[]][]][] | null;
      this.blocked = true;
      try {
        const read = this.options.reader.xread(
          "COUNT",
          BATCH,
          "BLOCK",
          this.options.blockMs ?? 5_000,
          "STREAMS",
          this.wakeKey,
          ...reading.map(([, tail]) => tail.stream),
          this.wakeCursor,
          ...reading.map(([, tail]) => tail.cursor),
        );
        reply = await Promise.race([read, this.closing]);
      } catch (error) {
        if (this.closed) break;
        this.options.log.warn({ err: error }, "live streams not read from Redis; retrying");
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      } finally {
        this.blocked = false;
      }
      if (!reply || epoch !== this.epoch || this.closed) continue;
      const byStream = new Map(reading.map(([key, tail]) => [tail.stream, { key, tail }]));
      for (const [stream, entries] of reply) {
        const last = entries.at(-1);
        if (!last) continue;
        if (stream === this.wakeKey) {
          this.wakeCursor = last[0];
          continue;
        }
        const followed = byStream.get(stream);
        // Unfollowed (or followed anew) while the read was under way.
        if (!followed || this.tails.get(followed.key) !== followed.tail) continue;
        followed.tail.cursor = last[0];
        this.options.onEntries(followed.key, entries.map(([, fields]) => fields));
      }
    }
  }

  /** Makes the reader read again at once, with the streams followed now. */
  private wake(): void {
    if (this.idle) return this.idle();
    // Not blocked: between reads, or pausing after an error; the next read has every stream.
    if (!this.blocked) return;
    this.options.redis
      .pipeline()
      .xadd(this.wakeKey, "MAXLEN", "1", "*", "w", "1")
      .pexpire(this.wakeKey, WAKE_TTL_MS)
      .exec()
      .catch((error: unknown) => this.options.log.warn({ err: error }, "stream reader not woken"));
  }

  private restart(): void {
    this.epoch++;
    this.wakeCursor = START;
    for (const tail of this.tails.values()) tail.cursor = START;
    this.options.onReconnected();
    // A read resent on the new connection still waits on the old ids: end it.
    this.wake();
  }

  /** Stops reading and closes the reader's connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopListening();
    this.stop();
    this.idle?.();
    this.options.reader.disconnect();
    await this.running;
  }
}
