import type { PrismaClient } from "~/server/generated/prisma/client";
import type { Logger } from "~/server/log";
import { luaScript } from "./lua";
import type { Redis, RedisKeys } from "./redis";

/** Extends the lease only while it is still ours. */
const renewLease = luaScript("fdRenewLease", `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`);
/** Replaces our own value (the provisional one, by the one carrying the epoch). */
const swapLease = luaScript("fdSwapLease", `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`);
/** Compare-and-delete: a lease someone else took since is left alone. */
const releaseLease = luaScript("fdReleaseLease", `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`);

export type RunnerLeaseOptions = {
  redis: Redis;
  keys: RedisKeys;
  db: PrismaClient;
  instanceId: string;
  /** The runners this instance could own (those it can reach). */
  candidates: () => Promise<string[]>;
  /** A lease not renewed for this long is another instance's to take (default 5 s). */
  ttlMs?: number;
  /** Now the owner at `epoch`: start reading the runner's events. */
  onAcquired: (runnerId: string, epoch: number) => Promise<void> | void;
  /** No longer the owner: stop reading and writing at once. */
  onLost: (runnerId: string) => Promise<void> | void;
  log: Logger;
};

type Held = { epoch: number; token: string; renewedAt: number };

/**
 * One owner per runner among the instances: a lease in Redis (`SET NX PX`, renewed, released
 * with compare-and-delete) whose value names the instance and its fencing epoch. The epoch
 * lives in the database (`Runner.ownerEpoch`, raised by every new owner), so it survives a Redis
 * restart, and the owner's writes check it (`server/store/fence.ts`): an owner that paused past
 * its lease cannot write after the next one took over.
 */
export class RunnerLeases {
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: RunnerLeaseOptions) {}

  get ttlMs(): number {
    return this.options.ttlMs ?? 5_000;
  }

  /** Takes what it can now, then checks every quarter of the lease time. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(100, Math.floor(this.ttlMs / 4)));
    this.timer.unref();
  }

  holds(runnerId: string): boolean {
    return this.held.has(runnerId);
  }

  /** The runners this instance owns now. */
  heldRunners(): string[] {
    return [...this.held.keys()];
  }

  epochOf(runnerId: string): number | undefined {
    return this.held.get(runnerId)?.epoch;
  }

  /** The lease's value while this instance holds it: what its appends to Redis are fenced with. */
  tokenOf(runnerId: string): string | undefined {
    return this.held.get(runnerId)?.token;
  }

  tick(): Promise<void> {
    this.ticking ??= this.checkAll().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async checkAll(): Promise<void> {
    if (this.stopped) return;
    let candidates: string[];
    try {
      candidates = await this.options.candidates();
    } catch (error) {
      this.options.log.warn(`[cluster] could not list runners: ${message(error)}`);
      candidates = [...this.held.keys()];
    }
    const all = new Set([...candidates, ...this.held.keys()]);
    await Promise.all([...all].map((runnerId) => this.check(runnerId, candidates.includes(runnerId))));
  }

  private async check(runnerId: string, wanted: boolean): Promise<void> {
    try {
      if (this.held.has(runnerId)) {
        if (!wanted) await this.release(runnerId);
        else if (!(await this.renew(runnerId))) await this.lose(runnerId, "its lease went to another instance");
      } else if (wanted) {
        await this.acquire(runnerId);
      }
    } catch (error) {
      // Redis or the database away: a lease not renewed in time is given up before it expires
      // for the others, so two instances never both believe they own the runner for long.
      const held = this.held.get(runnerId);
      if (held && Date.now() - held.renewedAt > this.ttlMs * 0.75) await this.lose(runnerId, `its lease could not be renewed (${message(error)})`);
      else this.options.log.warn(`[cluster] lease of runner ${runnerId}: ${message(error)}`);
    }
  }

  private async acquire(runnerId: string): Promise<void> {
    const { redis, keys, db, instanceId } = this.options;
    const key = keys.runnerLease(runnerId);
    const provisional = `${instanceId} pending`;
    const taken = await deadline(redis.set(key, provisional, "PX", this.ttlMs, "NX"), this.ttlMs / 2);
    if (taken !== "OK") return;
    // The epoch is raised in the database, after the lease is ours: writes of any earlier owner
    // still in flight commit first (they hold the runner row FOR SHARE), later ones are refused.
    const [row] = await db.$queryRaw<{ ownerEpoch: number }[]>`
      UPDATE "Runner" SET "ownerEpoch" = "ownerEpoch" + 1 WHERE id = ${runnerId} RETURNING "ownerEpoch"`;
    if (!row) {
      await releaseLease(redis, [key], [provisional]);
      return;
    }
    const token = `${instanceId} ${row.ownerEpoch}`;
    if ((await swapLease(redis, [key], [provisional, token, this.ttlMs])) !== 1) return;
    this.held.set(runnerId, { epoch: row.ownerEpoch, token, renewedAt: Date.now() });
    this.options.log.info(`[cluster] this instance (${instanceId}) now owns runner ${runnerId}, epoch ${row.ownerEpoch}`);
    await this.options.onAcquired(runnerId, row.ownerEpoch);
  }

  private async renew(runnerId: string): Promise<boolean> {
    const { redis, keys, db } = this.options;
    const held = this.held.get(runnerId)!;
    const key = keys.runnerLease(runnerId);
    let ours = (await deadline(renewLease(redis, [key], [held.token, this.ttlMs]), this.ttlMs / 2)) === 1;
    if (!ours) {
      // Redis lost the key (a restart keeps nothing): ours again only if nobody owned it since.
      const retaken = (await deadline(redis.set(key, held.token, "PX", this.ttlMs, "NX"), this.ttlMs / 2)) === "OK";
      if (retaken) {
        const row = await db.runner.findUnique({ where: { id: runnerId }, select: { ownerEpoch: true } });
        ours = row?.ownerEpoch === held.epoch;
        if (!ours) await releaseLease(redis, [key], [held.token]);
      }
    }
    if (ours) held.renewedAt = Date.now();
    return ours;
  }

  private async lose(runnerId: string, why: string): Promise<void> {
    if (!this.held.delete(runnerId)) return;
    this.options.log.warn(`[cluster] this instance no longer owns runner ${runnerId}: ${why}`);
    await this.options.onLost(runnerId);
  }

  private async release(runnerId: string): Promise<void> {
    const held = this.held.get(runnerId);
    if (!held) return;
    await this.lose(runnerId, "released");
    await releaseLease(this.options.redis, [this.options.keys.runnerLease(runnerId)], [held.token]).catch(() => undefined);
  }

  /**
   * Gives every lease up (a clean shutdown: the others take over at once instead of after the
   * lease time), after `drain`, run while the leases are still held and no longer taken or lost.
   */
  async stop(drain: () => Promise<void> = async () => {}): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await drain();
    await Promise.all([...this.held.keys()].map((runnerId) => this.release(runnerId)));
  }
}

function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
