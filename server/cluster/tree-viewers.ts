import type { Redis } from "ioredis";
import type { Logger } from "~/server/log";
import { settledWithin } from "./deadline";
import { luaScript } from "./lua";
import type { RedisKeys } from "./redis";

/** How long closing waits for Redis to take this instance's counts away. */
const CLOSE_WAIT_MS = 1_000;

// Times are Redis's own (TIME), so instances whose clocks disagree still agree on staleness.
const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** ARGV: instance id, hash lifetime (ms), then one count per key (0 removes the instance's field). */
const report = luaScript(
  "fdReportViewers",
  `${NOW_MS}
for i, key in ipairs(KEYS) do
  local count = tonumber(ARGV[i + 2])
  if count > 0 then
    redis.call('HSET', key, ARGV[1], string.format('%d %d', count, now))
    redis.call('PEXPIRE', key, ARGV[2])
  else
    redis.call('HDEL', key, ARGV[1])
  end
end
return 0`,
);

/** ARGV: instance id, staleness (ms). The viewers of each key on other instances; stale fields go. */
const othersOf = luaScript(
  "fdOtherViewers",
  `${NOW_MS}
local totals = {}
for i, key in ipairs(KEYS) do
  local total = 0
  local fields = redis.call('HGETALL', key)
  for j = 1, #fields, 2 do
    local count, at = string.match(fields[j + 1], '^(%d+) (%d+)$')
    if not at or now - tonumber(at) > tonumber(ARGV[2]) then
      redis.call('HDEL', key, fields[j])
    elseif fields[j] ~= ARGV[1] then
      total = total + tonumber(count)
    end
  end
  totals[i] = total
end
return totals`,
);

export type TreeViewersOptions = {
  redis: Redis;
  keys: RedisKeys;
  instanceId: string;
  log: Logger;
  /** How often counts are written and read again; default 1 s. */
  refreshMs?: number;
  /** A count not written again for this long is an instance's that died; default 3.5 s. */
  staleMs?: number;
  /** A key nobody asked about for this long is no longer read; default 30 s. */
  interestMs?: number;
};

/**
 * How many viewers each tree has on every instance. Each instance writes its own counts into
 * `treeViewers(key)` (instance id → count and Redis time) at once when they change and again
 * every `refreshMs`; a field not refreshed for `staleMs` (its instance was killed) no longer
 * counts. Reading must be synchronous (the owner's bridge asks on hot paths), so the totals of
 * other instances are cached per key asked about and read again every `refreshMs`.
 *
 * Lag: a viewer arriving or leaving elsewhere shows here within about `refreshMs` (its
 * instance writes at once; this one reads every `refreshMs`), a killed instance's viewers go
 * within `staleMs + refreshMs`. A key asked about for the first time counts only local viewers
 * until its first read (started at once).
 */
export class TreeViewers {
  private readonly local = new Map<string, number>();
  /** Local counts changed since they were last written. */
  private readonly changed = new Set<string>();
  private readonly others = new Map<string, { total: number; askedAt: number }>();
  private readonly timer: NodeJS.Timeout;
  private refreshing: Promise<void> | undefined;
  private flushQueued = false;
  private readonly refreshMs: number;
  private readonly staleMs: number;
  private readonly interestMs: number;
  /** The whole hash goes when no instance refreshes it any more. */
  private readonly hashTtlMs: number;
  private closed = false;

  constructor(private readonly options: TreeViewersOptions) {
    this.refreshMs = options.refreshMs ?? 1_000;
    this.staleMs = options.staleMs ?? 3_500;
    this.interestMs = options.interestMs ?? 30_000;
    this.hashTtlMs = this.staleMs * 4;
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  /** This instance's viewers of a tree now. */
  setLocal(key: string, count: number): void {
    if (count > 0) this.local.set(key, count);
    else this.local.delete(key);
    this.changed.add(key);
    this.soon();
  }

  /** Viewers of the tree on every instance (this one's exactly, the others' as last read). */
  count(key: string): number {
    let others = this.others.get(key);
    if (!others) {
      this.others.set(key, (others = { total: 0, askedAt: Date.now() }));
      this.soon();
    }
    others.askedAt = Date.now();
    return (this.local.get(key) ?? 0) + others.total;
  }

  /** Refresh soon, once however many changes come in the same turn of the event loop. */
  private soon(): void {
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      void this.refresh();
    });
  }

  /**
   * Writes this instance's counts and reads the others'. One at a time: a Redis that does not
   * answer is not queued for without bound.
   */
  private refresh(): Promise<void> {
    if (this.refreshing) {
      // What changes meanwhile is written by the next refresh.
      return this.refreshing;
    }
    this.refreshing = this.exchange()
      .catch((error: unknown) => this.options.log.warn({ err: error }, "viewer counts not exchanged with Redis"))
      .finally(() => {
        this.refreshing = undefined;
        if (this.changed.size > 0) this.soon();
      });
    return this.refreshing;
  }

  private async exchange(): Promise<void> {
    const { redis, keys, instanceId } = this.options;
    // Every count is written each time, so it stays fresh; those that dropped to 0 once more.
    const written = new Map([...this.changed].map((key) => [key, 0]));
    for (const [key, count] of this.local) written.set(key, count);
    this.changed.clear();
    const now = Date.now();
    for (const [key, { askedAt }] of this.others) if (now - askedAt > this.interestMs) this.others.delete(key);
    const asked = [...this.others.keys()];
    await Promise.all([
      written.size > 0 ? report(redis, [...written.keys()].map((key) => keys.treeViewers(key)), [instanceId, this.hashTtlMs, ...written.values()]) : undefined,
      asked.length > 0 ? this.readOthers(asked) : undefined,
    ]);
  }

  private async readOthers(asked: string[]): Promise<void> {
    const { redis, keys, instanceId } = this.options;
    const totals = (await othersOf(redis, asked.map((key) => keys.treeViewers(key)), [instanceId, this.staleMs])) as number[];
    asked.forEach((key, i) => {
      const entry = this.others.get(key);
      if (entry) entry.total = totals[i] ?? 0;
    });
  }

  /** Stops refreshing and removes this instance's counts (a killed instance's go stale instead). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const key of this.local.keys()) this.changed.add(key);
    this.local.clear();
    this.others.clear();
    await settledWithin(this.refreshing ?? Promise.resolve(), CLOSE_WAIT_MS);
    await settledWithin(this.refresh(), CLOSE_WAIT_MS);
  }
}
