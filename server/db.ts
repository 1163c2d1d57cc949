import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { config, type Config } from "~/server/config";
import { log as rootLog } from "~/server/log";
import { PrismaClient, type Prisma } from "~/server/generated/prisma/client";
import { keepStatistics } from "~/server/pglite-statistics";
import { shareParsers } from "~/server/pglite-parsers";
import { writeMessagesFast } from "~/server/pglite-wire";
import { takeTurns } from "~/server/pglite-turns";
import { applyMigrations, type MigrateResult } from "~/server/migrate/apply";
import { openMemoryPglite } from "~/server/migrate/memory-pglite";
import { readMigrations } from "~/server/migrate/migrations-dir";
import { pgliteSession, postgresSession, type MigrationSession } from "~/server/migrate/session";
import { withLosslessText } from "~/server/store/lossless-client";

const log = rootLog.child({ domain: "db" });

/** A transaction's client (what `$transaction`'s callback gets): the store and archive write and read through it. */
export type Tx = Prisma.TransactionClient;

/**
 * A setting on only when the database is PGlite: one connection, so no other transaction runs
 * between two of a transaction's statements (bulk inserts check foreign keys as a set there).
 */
export const SINGLE_CONNECTION_SETTING = "flightdeck.single_connection";

/** Where a database lives: a PostgreSQL server, a PGlite folder, or PGlite in memory. */
export type DbLocation = { url: string } | { pgliteDir: string } | { memory: true };

export interface Database {
  client: PrismaClient;
  target: "postgresql" | "pglite";
  /** Applies pending migrations from `migrationsDir` (default `prisma/migrations`). */
  migrate(migrationsDir?: string): Promise<MigrateResult>;
  /**
   * Brings the planner's statistics up to date after a bulk write (an import), and names the
   * tables it analyzed. PostgreSQL's autovacuum does this on its own: nothing to do there.
   */
  refreshStatistics(): Promise<string[]>;
  close(): Promise<void>;
}

export function dbLocationFromConfig(cfg: Config = config()): DbLocation {
  return cfg.DATABASE_URL
    ? { url: cfg.DATABASE_URL }
    : { pgliteDir: path.join(cfg.dataDir, "pglite") };
}

export interface CreateDbOptions {
  /** Bring the schema up to date before returning (default true). */
  migrate?: boolean;
  onMigrated?: (result: MigrateResult) => void;
}

/** Opens a database and, unless `migrate: false`, applies pending migrations first. */
export async function createDb(
  location: DbLocation,
  options: CreateDbOptions = {},
): Promise<Database> {
  const db = "url" in location ? await openPostgres(location.url) : await openPglite(location);
  if (options.migrate !== false) {
    try {
      // Not `onMigrated?.(await db.migrate())`: optional chaining would skip the migration.
      const result = await db.migrate();
      options.onMigrated?.(result);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}

async function migrateWith(session: MigrationSession, migrationsDir?: string) {
  return applyMigrations(session, readMigrations(migrationsDir));
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url });
  // An idle connection dies when the server restarts; without a listener pg would crash the
  // process. The pool opens a new connection on next use.
  pool.on("error", (error) => {
    log.warn(`Lost an idle connection to ${describeDbLocation({ url })}: ${reason(error)}`);
  });
  // A connection check up front turns "the first query fails somewhere" into one clear error.
  const connection = await pool.connect().catch(async (error: unknown) => {
    await pool.end();
    throw new Error(`Cannot connect to ${describeDbLocation({ url })}: ${reason(error)}`, {
      cause: error,
    });
  });
  connection.release();
  const client = withLosslessText(new PrismaClient({ adapter: new PrismaPg(pool) }));
  return {
    client,
    target: "postgresql",
    async migrate(migrationsDir) {
      // The advisory lock belongs to one connection, so the whole run keeps its own.
      const session = await pool.connect();
      try {
        return await migrateWith(postgresSession(session), migrationsDir);
      } finally {
        session.release();
      }
    },
    refreshStatistics: async () => [],
    async close() {
      await client.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(location: { pgliteDir: string } | { memory: true }): Promise<Database> {
  writeMessagesFast();
  const { pglite, unlock } =
    "pgliteDir" in location
      ? await openPgliteDir(location.pgliteDir)
      : { pglite: await openMemoryPglite(), unlock: () => {} };
  // Tells the store it writes through PGlite's one connection (server/store/bulk-insert.ts).
  await pglite.exec(`SET ${SINGLE_CONNECTION_SETTING} = on`);
  const client = withLosslessText(new PrismaClient({ adapter: new PrismaPGlite(takeTurns(shareParsers(pglite))) }));
  const statistics = keepStatistics(pglite, {
    analyzed: (tables, ms) => log.info(`Updated the planner's statistics of ${tables.join(", ")} in ${Math.round(ms)} ms`),
    failed: (error) => log.warn(`Could not update the planner's statistics: ${reason(error)}`),
  });
  return {
    client,
    target: "pglite",
    migrate: (migrationsDir) => migrateWith(pgliteSession(pglite), migrationsDir),
    refreshStatistics: () => statistics.refresh(),
    async close() {
      try {
        await statistics.stop();
        await client.$disconnect();
        await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}

async function openPgliteDir(dataDir: string): Promise<{ pglite: PGlite; unlock: () => void }> {
  const unlock = lockPgliteDir(dataDir);
  try {
    const pglite = new PGlite(dataDir);
    await pglite.waitReady;
    return { pglite, unlock };
  } catch (error) {
    unlock();
    throw new Error(`Cannot open ${describeDbLocation({ pgliteDir: dataDir })}: ${reason(error)}`, {
      cause: error,
    });
  }
}

// PGlite has no locking of its own: a second process on the same folder (say `npm run
// db:migrate` while the app runs) corrupts it. A lock file naming the owner's pid prevents
// that; one left by a process that died is taken over.
function lockPgliteDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = `${dataDir}.lock`;
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch {
    const owner = Number(fs.readFileSync(lockFile, "utf8"));
    if (owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `${describeDbLocation({ pgliteDir: dataDir })} is in use by process ${owner}, and PGlite ` +
          `allows one process at a time. Stop it first (or, if ${owner} is not Flightdeck, ` +
          `delete ${lockFile}).`,
      );
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  return () => fs.rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, owned by someone else
  }
}

/** For messages: a PostgreSQL URL without its password, or the PGlite folder. */
export function describeDbLocation(location: DbLocation): string {
  if ("url" in location) return `PostgreSQL at ${describePostgresUrl(location.url)}`;
  return "pgliteDir" in location ? `PGlite in ${location.pgliteDir}` : "PGlite in memory";
}

// user@host:port/db: enough to find the server, never the password.
function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : "";
    return `${user}${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

// Node reports a refused connection to a name with several addresses as an AggregateError
// with an empty message; the useful part is in its inner errors or its code.
function reason(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    return error.errors.map(reason).join("; ");
  }
  if (error instanceof Error) return error.message || String((error as { code?: string }).code);
  return String(error);
}

// On globalThis so that Next's dev server, which re-evaluates modules on every change, keeps
// one database (PGlite cannot open the same folder twice) and migrates once per process.
const globalForDb = globalThis as typeof globalThis & { flightdeckDb?: Promise<Database> };

/** The app's Prisma client, migrated before it is handed out. */
export async function getDb(): Promise<PrismaClient> {
  globalForDb.flightdeckDb ??= createDb(dbLocationFromConfig(), {
    onMigrated: logMigrateResult,
  }).catch((error: unknown) => {
    // Let the next call retry, e.g. once PostgreSQL is up.
    globalForDb.flightdeckDb = undefined;
    throw error;
  });
  return (await globalForDb.flightdeckDb).client;
}

function logMigrateResult(result: MigrateResult): void {
  if (result.applied.length > 0) log.info(`Applied migrations: ${result.applied.join(", ")}`);
  if (result.unknown.length > 0) {
    log.warn(
      `The database has migrations this version does not know (${result.unknown.join(", ")}): ` +
        `a newer Flightdeck migrated it.`,
    );
  }
}

/** The app's database after a bulk write (`npm run import`): see Database.refreshStatistics. */
export async function refreshStatistics(): Promise<string[]> {
  return globalForDb.flightdeckDb ? (await globalForDb.flightdeckDb).refreshStatistics() : [];
}

export async function closeDb(): Promise<void> {
  const pending = globalForDb.flightdeckDb;
  globalForDb.flightdeckDb = undefined;
  const db = await pending?.catch(() => undefined);
  await db?.close();
}
