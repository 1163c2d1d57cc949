import { config } from "~/server/config";
import { getDb } from "~/server/db";
import { getServices } from "~/server/services";
import { checkHealth, databaseKindOf, degraded, withInstance, type DatabaseKind, type Health } from "./check";

/**
 * Health answers from the latest database probe instead of queueing a new one per request. On
 * PGlite every query goes through one connection: under 200 concurrent list queries a fresh
 * `SELECT 1` waited 4 s behind them, so a busy app looked down to whatever polls /api/health.
 * A request starts a probe when the last result is older than `freshMs` (one at a time) and
 * answers at once from a result up to `staleMs` old. Past that (a database that stopped
 * answering, or the first call) it waits for the probe at most `waitMs`, then says degraded.
 */
export type ProbeTiming = { freshMs: number; staleMs: number; waitMs: number; now?: () => number };

export function createHealthProbe(kind: DatabaseKind, check: () => Promise<Health>, timing: ProbeTiming): () => Promise<Health> {
  const now = timing.now ?? Date.now;
  let last: { health: Health; at: number } | undefined;
  let running: Promise<Health> | undefined;
  const probe = () =>
    (running ??= check()
      .then((health) => {
        last = { health, at: now() };
        return health;
      })
      .finally(() => (running = undefined)));

  return async () => {
    const age = last ? now() - last.at : Infinity;
    if (age <= timing.freshMs) return last!.health;
    const pending = probe();
    if (age <= timing.staleMs) return last!.health;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Health>((resolve) => {
      timer = setTimeout(() => resolve(degraded(kind, `The database has not answered a probe within ${timing.waitMs} ms.`)), timing.waitMs);
    });
    return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
  };
}

let app: (() => Promise<Health>) | undefined;

/** The app's health, as /api/health and `health.check` answer it. */
export async function appHealth(): Promise<Health> {
  const kind = databaseKindOf(config().DATABASE_URL);
  app ??= createHealthProbe(kind, () => checkHealth(kind, getDb), { freshMs: 1_000, staleMs: 15_000, waitMs: 5_000 });
  const health = await app();
  // Several instances: the services started at boot; their Redis state is read, not probed.
  const cluster = config().REDIS_URL ? (await getServices().catch(() => undefined))?.cluster : undefined;
  return cluster ? withInstance(health, cluster.health()) : health;
}
