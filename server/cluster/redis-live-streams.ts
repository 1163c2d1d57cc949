import type { Redis } from "ioredis";
import type { LiveStreams } from "~/server/hub/live-streams";
import { consecutiveRuns, StreamHub, type Chunk, type HubOptions, type Sequenced } from "~/server/hub/stream-hub";
import type { Logger } from "~/server/log";
import { settledWithin } from "./deadline";
import { fencedAppend, type LeaseFence } from "./fenced-append";
import { InstanceChannel } from "./instance-channel";
import type { RedisKeys } from "./redis";
import { decodeEntry, encodeEntry, eventsAfter, holdBack } from "./stream-entries";
import { StreamTailer } from "./stream-tailer";
import { TreeViewers } from "./tree-viewers";

export type RedisLiveStreamsOptions<E extends Sequenced> = {
  /** Shared connection: appends, stream windows, viewer counts, broadcasts. Not closed by `close()`. */
  redis: Redis;
  /** Opens a connection of this instance's own (the blocking reader, the pub/sub subscriber); closed by `close()`. */
  connect: (name: string) => Redis;
  keys: RedisKeys;
  instanceId: string;
  /** Entries (one per published run of events) a tree's stream keeps; default the local buffer size. */
  window?: number;
  /** A tree's stream goes this long after its last append; default 1 h. */
  streamTtlMs?: number;
  /** The hub serving this instance's viewers. */
  local: HubOptions<E>;
  /** The lease this instance holds over the tree's runner, undefined when it owns none. */
  fenceOf: (streamKey: string) => LeaseFence | undefined;
  log: Logger;
  /** How long a tree is still followed after its last local viewer left; default 5 s. */
  lingerMs?: number;
  /** Viewer counts: how often exchanged, when an instance's are stale (see TreeViewers). */
  viewers?: { refreshMs?: number; staleMs?: number };
};

type Followed = { viewers: number; ready: Promise<void>; lastSeq: number; stop?: NodeJS.Timeout };

type HubMessage = { op: "resync" | "drop"; key: string };

type Held<E> = { events: E[]; appending: boolean };

/** How long a new viewer waits for its tree's window before being served from a snapshot anyway. */
const WINDOW_WAIT_MS = 2_000;
/** How often events Redis did not take are offered to it again. */
const HOLD_RETRY_MS = 250;

/**
 * Live streams shared by several instances through Redis Streams: the owner of a tree's runner
 * appends (fenced by its lease), and every instance, the owner included, serves its own
 * viewers from a local `StreamHub` that its `StreamTailer` feeds from Redis. The local hub does
 * exact resume, snapshots on gaps (an owner change, a window that no longer reaches back, events
 * lost with a restarted Redis) and the encode-once chunks; this class only moves events between
 * Redis and it. See server/cluster/README.md.
 */
export class RedisLiveStreams<E extends Sequenced> implements LiveStreams<E> {
  private readonly local: StreamHub<E>;
  private readonly tailer: StreamTailer;
  private readonly viewers: TreeViewers;
  private readonly hubChannel: InstanceChannel<HubMessage>;
  private readonly followed = new Map<string, Followed>();
  /** Trees whose appends are refused: warned about once until one succeeds or the owner releases the tree. */
  private readonly refused = new Set<string>();
  /** Events of trees this instance owns that Redis did not take yet (see `hold`). */
  private readonly held = new Map<string, Held<E>>();
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly window: number;

  constructor(private readonly options: RedisLiveStreamsOptions<E>) {
    const { redis, connect, keys, instanceId, log } = options;
    this.window = options.window ?? options.local.bufferSize;
    this.local = new StreamHub(options.local);
    this.viewers = new TreeViewers({ redis, keys, instanceId, log, ...options.viewers });
    this.tailer = new StreamTailer({
      redis,
      reader: connect(`flightdeck:${instanceId}:streams`),
      keys,
      window: this.window,
      instanceId,
      log,
      onEntries: (key, entries) => this.feed(key, entries),
      onReconnected: () => this.resyncFollowed(),
    });
    this.hubChannel = new InstanceChannel<HubMessage>({
      redis,
      connect,
      channel: keys.hubChannel,
      instanceId,
      log,
      onMessage: ({ op, key }) => {
        if (op === "resync") this.local.resync(key);
        else if (op === "drop") this.local.drop(key);
      },
      // Resyncs and drops sent while this instance had lost Redis never come.
      onReconnected: () => this.resyncFollowed(),
    });
  }

  /** Resolves once resyncs and drops from other instances are heard. */
  ready(): Promise<void> {
    return this.hubChannel.ready();
  }

  publish(key: string, events: readonly E[]): void {
    const fence = this.options.fenceOf(key);
    if (!fence) {
      this.dropHeld(key);
      this.refuse(key, "dropped", "this instance does not own the tree's runner");
      return;
    }
    const waiting = this.held.get(key);
    if (waiting) {
      // Behind events still held back: after them, in order.
      holdBack(waiting.events, events, this.options.local.bufferSize);
      return;
    }
    // Commands wait for a Redis that is away: appends would pile up without bound while the
    // owner streams. They are held back (bounded) until it is back.
    if (this.options.redis.status !== "ready") {
      this.hold(key, events, "Redis is unreachable");
      return;
    }
    // Not awaited: appends leave in order on the one connection, and the owner's bridge never
    // waits for Redis; its viewers get the events back through the tailer like everyone else.
    void this.append(key, fence, events);
  }

  /** Resolves whether Redis took the events; those it did not are held back. */
  private async append(key: string, fence: LeaseFence, events: readonly E[]): Promise<boolean> {
    const entries = consecutiveRuns(events).map(encodeEntry);
    if (entries.length === 0) return true;
    const limits = { window: this.window, ttlMs: this.options.streamTtlMs ?? 3_600_000 };
    try {
      if (await fencedAppend(this.options.redis, fence, this.options.keys.treeStream(key), entries, limits)) {
        this.refused.delete(key);
        return true;
      }
      this.hold(key, events, "the lease is no longer this instance's");
    } catch (error) {
      this.options.log.warn({ err: error, key }, "live events not appended to Redis");
      this.hold(key, events, "Redis did not take them");
    }
    return false;
  }

  /**
   * Keeps events Redis did not take while this instance still holds the runner's lease (a
   * restarted Redis lost the lease's key until the next renewal takes it back), and appends
   * them again (the newest local buffer's worth) until Redis takes them or the lease is lost.
   * Dropping them would be safe mid-turn (the next event's gap sends viewers a snapshot), but a
   * turn that ended meanwhile would never reach the viewers: they resynced when their
   * connection came back, before these.
   */
  private hold(key: string, events: readonly E[], why: string): void {
    const waiting = this.held.get(key);
    if (waiting) holdBack(waiting.events, events, this.options.local.bufferSize);
    else this.held.set(key, { events: holdBack([], events, this.options.local.bufferSize), appending: false });
    this.refuse(key, "held back", why);
    this.retryHeld();
  }

  private retryHeld(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.appendHeld();
    }, HOLD_RETRY_MS);
    this.retry.unref();
  }

  private appendHeld(): void {
    for (const [key, waiting] of this.held) {
      if (waiting.appending) continue;
      const fence = this.options.fenceOf(key);
      if (!fence) {
        this.dropHeld(key);
        continue;
      }
      if (this.options.redis.status !== "ready") continue;
      const events = waiting.events.slice(-this.options.local.bufferSize);
      waiting.events = [];
      waiting.appending = true;
      void this.append(key, fence, events).then((appended) => {
        waiting.appending = false;
        // Held again on a refusal (with what came meanwhile); otherwise what came meanwhile goes now.
        if (appended && waiting.events.length === 0 && this.held.get(key) === waiting) this.held.delete(key);
        else if (appended) this.appendHeld();
      });
    }
    if (this.held.size > 0) this.retryHeld();
  }

  /**
   * No longer the owner, with events Redis never took. The next owner catches up from the
   * runner, but it publishes only what the store lacks, possibly nothing (the turn ended, and
   * this instance stored it before losing the lease): so every instance's viewers start over
   * from a snapshot, which waits for the next owner's catch-up to be stored.
   */
  private dropHeld(key: string): void {
    if (this.held.delete(key)) this.resync(key);
  }

  private refuse(key: string, what: "dropped" | "held back", why: string): void {
    if (this.refused.has(key)) return;
    this.refused.add(key);
    this.options.log.warn({ key }, `live events ${what}: ${why}`);
  }

  /**
   * The owner has nothing more for the tree for now. The local hub's buffer follows the
   * tailer's lifetime instead (see `unfollow`), and the stream expires in Redis.
   */
  release(key: string): void {
    this.refused.delete(key);
  }

  resync(key: string): void {
    this.local.resync(key);
    this.hubChannel.send({ op: "resync", key });
  }

  drop(key: string): void {
    this.local.drop(key);
    this.options.redis.del(this.options.keys.treeStream(key)).catch((error: unknown) => this.options.log.warn({ err: error, key }, "live stream not deleted"));
    this.hubChannel.send({ op: "drop", key });
  }

  /** Viewers on every instance: this one's exactly, the others' as last read (about a second old). */
  subscriberCount(key: string): number {
    return this.viewers.count(key);
  }

  async *subscribe(key: string, lastSeq: number | undefined, signal: AbortSignal): AsyncGenerator<Chunk<E>> {
    const followed = this.follow(key);
    try {
      // The window goes into the local buffer before the local subscription: a resume point, or
      // a snapshot taken then, is covered by it. A Redis that does not answer does not keep the
      // viewer waiting: the snapshot serves it, and the hub snapshots again on any gap.
      await settledWithin(followed.ready, WINDOW_WAIT_MS);
      yield* this.local.subscribe(key, lastSeq, signal);
    } finally {
      this.unfollow(key, followed);
    }
  }

  private follow(key: string): Followed {
    let followed = this.followed.get(key);
    if (!followed) {
      followed = { viewers: 0, lastSeq: -Infinity, ready: Promise.resolve() };
      this.followed.set(key, followed);
      followed.ready = this.tailer.follow(key);
    }
    clearTimeout(followed.stop);
    followed.stop = undefined;
    this.viewers.setLocal(key, ++followed.viewers);
    return followed;
  }

  private unfollow(key: string, followed: Followed): void {
    this.viewers.setLocal(key, --followed.viewers);
    if (followed.viewers > 0) return;
    // A viewer reconnecting (a page reload) finds the tree still followed and its buffer warm.
    followed.stop = setTimeout(() => {
      if (this.followed.get(key) !== followed || followed.viewers > 0) return;
      this.followed.delete(key);
      this.tailer.unfollow(key);
      this.local.release(key);
    }, this.options.lingerMs ?? 5_000);
    followed.stop.unref();
  }

  /** Entries read from Redis go to the local hub, each as one chunk; what it had already is dropped. */
  private feed(key: string, entries: readonly (readonly string[])[]): void {
    const followed = this.followed.get(key);
    if (!followed) return;
    for (const fields of entries) {
      const events = decodeEntry<E>(fields);
      if (!events) {
        this.options.log.warn({ key }, "unreadable live stream entry skipped");
        continue;
      }
      const fresh = eventsAfter(events, followed.lastSeq);
      if (fresh.length === 0) continue;
      followed.lastSeq = fresh.at(-1)!.seq;
      this.local.publish(key, fresh);
    }
  }

  /** After losing Redis: every viewer here starts over from a snapshot, then the new tail. */
  private resyncFollowed(): void {
    for (const key of this.followed.keys()) this.local.resync(key);
  }

  /** Stops following and closes this instance's own connections (not `redis`). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.hubChannel.close();
    for (const followed of this.followed.values()) clearTimeout(followed.stop);
    this.followed.clear();
    await Promise.all([this.tailer.close(), this.viewers.close()]);
  }
}
