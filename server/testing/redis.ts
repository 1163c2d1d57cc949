import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { describe } from "vitest";
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
  const line = "=".repeat(78);
  console.warn(`\n${line}\n  REDIS TESTS SKIPPED: no Redis answers at ${TEST_REDIS_URL}.\n  Start one, or set TEST_REDIS_URL, to run the several-instance suites.\n${line}\n`);
  return (name, suite) => describe.skip(`${name} [skipped: no Redis at ${TEST_REDIS_URL}]`, suite);
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
      if (!dying || dying.exitCode !== null) return;
      await new Promise((resolve) => {
        dying.once("exit", resolve);
        dying.kill("SIGKILL");
      });
    },
  };
}
