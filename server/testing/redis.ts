import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe } from "vitest";
import type { Database, DbLocation } from "~/server/db";
import { databaseTargets } from "~/server/testing/database";
import type { Logger } from "~/server/log";
import { freePort } from "~/server/runtime/supervisor";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Keys of one test of their own, so test files running in parallel never share any. */
export function testKeyPrefix(): string {
  return `fdtest:${randomBytes(6).toString("hex")}:`;
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * `describe` when Redis answers at TEST_REDIS_URL; otherwise the suite is declared skipped with
 * the reason in its name, and a loud warning says so (never a silent green).
 */
export async function describeWithRedis(): Promise<(name: string, suite: () => void) => void> {
  if (await answers(TEST_REDIS_URL)) return describe;
  warnSkipped(`no Redis answers at ${TEST_REDIS_URL}`);
  return (name, suite) => describe.skip(`${name} [skipped: no Redis at ${TEST_REDIS_URL}]`, suite);
}

function warnSkipped(reason: string): void {
  const line = "=".repeat(78);
  console.warn(`\n${line}\n  SEVERAL-INSTANCE TESTS SKIPPED: ${reason}.\n  Start Redis, or set TEST_REDIS_URL, and set TEST_DATABASE_URL, to run them.\n${line}\n`);
}

/**
 * A suite of several instances: Redis and PostgreSQL (which several instances require), with a
 * fresh migrated PostgreSQL database for the block. Declared skipped, loudly, without either.
 */
export async function describeWithCluster(): Promise<(name: string, suite: (db: () => Database & { location: DbLocation }) => void) => void> {
  const postgres = databaseTargets().find((t) => t.name === "postgresql")!;
  const reason = (await answers(TEST_REDIS_URL)) ? postgres.skipReason : `no Redis answers at ${TEST_REDIS_URL}`;
  if (reason) {
    warnSkipped(reason);
    return (name, suite) => describe.skip(`${name} [skipped: ${reason}]`, () => suite(() => undefined as never));
  }
  return (name, suite) => {
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
  };
}

/** A logger that keeps what was warned, for tests that expect (or forbid) a warning. */
export function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const keep = (...args: unknown[]) => void warnings.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  return { warnings, info: () => {}, warn: keep, error: keep } as unknown as Logger & { warnings: string[] };
}

/** A Redis of the test's own (nothing on disk), to kill and start again on the same port. */
export async function privateRedis(): Promise<{ url: string; start(): Promise<void>; kill(): Promise<void> }> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  return {
    url,
    async start() {
      child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      const deadline = Date.now() + 10_000;
      while (!(await answers(url))) {
        if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async kill() {
      const dying = child;
      if (!dying || dying.exitCode !== null || dying.signalCode !== null) return;
      await new Promise((resolve) => {
        dying.once("exit", resolve);
        dying.kill("SIGKILL");
      });
    },
  };
}
