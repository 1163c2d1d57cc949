import type { Redis } from "ioredis";

type Run = (numberOfKeys: number, ...keysThenArgs: (string | number)[]) => Promise<unknown>;

/**
 * A Lua script, run atomically by Redis. ioredis sends it whole once per connection and by
 * SHA after that (so a Redis that restarted and forgot it gets it again), in order with the
 * connection's other commands.
 */
export function luaScript(name: string, lua: string) {
  return (redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> => {
    if (!(name in redis)) redis.defineCommand(name, { lua });
    const run = (redis as unknown as Record<string, Run>)[name]!;
    return run.call(redis, keys.length, ...keys, ...args);
  };
}
