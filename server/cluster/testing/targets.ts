import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe } from "vitest";
import { databaseTargets } from "~/server/testing/database";
import type { Database, DbLocation } from "~/server/db";

export const testRedisUrl = () => process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix no other suite uses, so suites can share one Redis. */
export const testPrefix = () => `fdtest:${randomBytes(4).toString("hex")}:`;

/** Why Redis cannot be used here, or undefined when it answers. */
export async function redisSkipReason(url = testRedisUrl()): Promise<string | undefined> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `Redis at ${url} did not answer (${error instanceof Error ? error.message : error}); set TEST_REDIS_URL`;
  } finally {
    client.disconnect();
  }
}

/** Declares a suite that needs Redis (pass `await redisSkipReason()`); skipped loudly without it. */
export function describeRedis(name: string, skipReason: string | undefined, suite: () => void): void {
  if (skipped(name, skipReason)) describe.skip(`${name} [skipped: ${skipReason}]`, suite);
  else describe(name, suite);
}

function skipped(name: string, reason: string | undefined): boolean {
  if (!reason) return false;
  const line = "=".repeat(78);
  console.warn(`\n${line}\n  SEVERAL-INSTANCE TESTS SKIPPED (${name}): ${reason}.\n${line}\n`);
  return true;
}

/**
 * Declares a suite that needs Redis and PostgreSQL (several instances require both), with a
 * fresh migrated PostgreSQL database for the block. Skipped with a loud message when either is
 * missing: never silently. Pass `await redisSkipReason()`.
 */
export function describeCluster(
  name: string,
  redisSkip: string | undefined,
  suite: (db: () => Database & { location: DbLocation }) => void,
): void {
  const postgres = databaseTargets().find((t) => t.name === "postgresql")!;
  const reason = redisSkip ?? postgres.skipReason;
  if (skipped(name, reason)) {
    describe.skip(`${name} [skipped: ${reason}]`, () => suite(() => undefined as never));
    return;
  }
  let database: (Database & { location: DbLocation }) | undefined;
  describe(name, () => {
    beforeAll(async () => {
      database = await postgres.open();
    });
    afterAll(async () => {
      await database?.close();
    });
    suite(() => database!);
  });
}
