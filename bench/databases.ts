/**
 * The databases the bench writes to. The PostgreSQL server the bench measures on: BENCH_POSTGRES_URL, else TEST_DATABASE_URL, else
 * a local server. Every section works in scratch databases of its own on it, dropped afterwards;
 * when no server answers, sections say so in their rows instead of measuring PGlite alone quietly.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type Database } from "~/server/db";

export const postgresServerUrl = () =>
  process.env.BENCH_POSTGRES_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** The server's address without its credentials, for rows and logs. */
export const describeServer = (url: string) => url.replace(/\/\/[^@]*@/, "//…@");

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Why the server cannot be used, or undefined when it answers. */
export async function postgresUnreachable(serverUrl = postgresServerUrl()): Promise<string | undefined> {
  try {
    await onServer(serverUrl, "SELECT 1");
    return undefined;
  } catch (error) {
    return `PostgreSQL (${describeServer(serverUrl)}): ${error instanceof Error ? error.message : error}`;
  }
}

let created = 0;

/** A new empty database on the server: its URL, and `drop` to remove it. */
export async function scratchPostgres(serverUrl = postgresServerUrl()): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `flightdeck_bench_${Date.now()}_${created++}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export type BenchDatabase = { name: "PGlite" | "PostgreSQL"; open: () => Promise<Database & { drop?: () => Promise<void> }> };

/**
 * Fresh migrated databases: PGlite always (in memory, or `onDisk` in a temp folder as the app keeps
 * it), PostgreSQL when a server is reachable (scratch, dropped).
 */
export async function benchDatabases(options: { onDisk?: boolean } = {}): Promise<{ targets: BenchDatabase[]; skipped: string[] }> {
  const list: BenchDatabase[] = [{ name: "PGlite", open: () => (options.onDisk ? pgliteOnDisk() : createDb({ memory: true })) }];
  const unreachable = await postgresUnreachable();
  if (unreachable) return { targets: list, skipped: [unreachable] };
  list.push({
    name: "PostgreSQL",
    open: async () => {
      const scratch = await scratchPostgres();
      const db = await createDb({ url: scratch.url }).catch(async (error: unknown) => {
        await scratch.drop();
        throw error;
      });
      return { ...db, drop: scratch.drop };
    },
  });
  return { targets: list, skipped: [] };
}

async function pgliteOnDisk(): Promise<Database & { drop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-bench-pglite-"));
  const db = await createDb({ pgliteDir: path.join(dir, "pglite") });
  return { ...db, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}
