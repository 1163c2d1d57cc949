import type { Redis } from "ioredis";
import { luaScript } from "./lua";
import { ENTRY_FIELD } from "./stream-entries";

/** Who may append to a stream: the lease key of its runner and the value its holder wrote there. */
export type LeaseFence = { leaseKey: string; token: string };

// The lease check and the appends are one atomic step: an owner that paused (GC, network) and
// lost its lease cannot append after the next owner, whatever it still believes.
const append = luaScript(
  "fdFencedAppend",
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
for i = 4, #ARGV do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', '${ENTRY_FIELD}', ARGV[i])
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1`,
);

/**
 * Appends entries to a Redis Stream if `fence` still holds its lease; resolves whether it did.
 * The stream keeps about `window` entries and expires `ttlMs` after its last append.
 */
export async function fencedAppend(
  redis: Redis,
  fence: LeaseFence,
  stream: string,
  entries: readonly string[],
  limits: { window: number; ttlMs: number },
): Promise<boolean> {
  return (await append(redis, [fence.leaseKey, stream], [fence.token, limits.window, limits.ttlMs, ...entries])) === 1;
}
