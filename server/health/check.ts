import type { PrismaClient } from "~/server/generated/prisma/client";
import { version } from "~/package.json";

export type DatabaseKind = "pglite" | "postgresql";

/** With several instances (REDIS_URL): which one answered, whether it reaches Redis, what it owns. */
export type InstanceHealth = { id: string; redis: "ok" | "away"; ownedRunners: number };

export type Health = {
  status: "ok" | "degraded";
  version: string;
  database: { kind: DatabaseKind; ok: boolean; latencyMs: number | null; error?: string };
  instance?: InstanceHealth;
};

/** An instance that lost Redis serves no live stream and takes no command for others: degraded. */
export function withInstance(health: Health, instance: InstanceHealth): Health {
  return { ...health, status: instance.redis === "ok" ? health.status : "degraded", instance };
}

export const databaseKindOf = (databaseUrl: string | undefined): DatabaseKind =>
  databaseUrl ? "postgresql" : "pglite";

export async function checkHealth(kind: DatabaseKind, getDb: () => Promise<PrismaClient>): Promise<Health> {
  const started = performance.now();
  try {
    const db = await getDb();
    await db.$queryRaw`SELECT 1`;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { status: "ok", version, database: { kind, ok: true, latencyMs } };
  } catch (error) {
    return degraded(kind, error instanceof Error ? error.message : String(error));
  }
}

/** Health when the database failed or did not answer. */
export function degraded(kind: DatabaseKind, error: string): Health {
  return { status: "degraded", version, database: { kind, ok: false, latencyMs: null, error } };
}
