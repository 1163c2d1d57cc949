import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { createDb, type Database, type DbLocation } from "~/server/db";

export type DatabaseTargetName = Database["target"];

export interface DatabaseTarget {
  name: DatabaseTargetName;
  /** Why suites cannot run against this target here; they are then reported as skipped. */
  skipReason?: string;
  /** A fresh, empty database of its own, migrated unless `migrate: false`; close() discards it. */
  open(options?: { migrate?: boolean }): Promise<Database & { location: DbLocation }>;
}

/** PGlite always; PostgreSQL when TEST_DATABASE_URL names a server to create databases on. */
export function databaseTargets(): DatabaseTarget[] {
  const serverUrl = process.env.TEST_DATABASE_URL;
  return [
    { name: "pglite", open: async (options) => ({ ...(await createDb({ memory: true }, options)), location: { memory: true } }) },
    {
      name: "postgresql",
      skipReason: serverUrl ? undefined : "TEST_DATABASE_URL is not set",
      open: (options) => openScratchPostgres(serverUrl!, options),
    },
  ];
}

const SCRATCH_PREFIX = "flightdeck_test_";
// Far longer than any run may take (CI is bounded well under this).
const SCRATCH_MAX_AGE_MS = 2 * 60 * 60 * 1000;

// The server outlives test runs: every suite gets its own database, dropped when it closes.
async function openScratchPostgres(
  serverUrl: string,
  options?: { migrate?: boolean },
): Promise<Database & { location: DbLocation }> {
  await (staleDropped ??= dropStaleScratchDatabases(serverUrl));
  const name = `${SCRATCH_PREFIX}${Date.now()}_${randomBytes(4).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  const db = await createDb({ url: url.toString() }, options).catch(async (error: unknown) => {
    await drop();
    throw error;
  });
  return {
    ...db,
    location: { url: url.toString() },
    async close() {
      await db.close();
      await drop();
    },
  };
}

let staleDropped: Promise<void> | undefined;

// A run that was killed never dropped its databases; they carry their creation time.
async function dropStaleScratchDatabases(serverUrl: string): Promise<void> {
  const rows = await onServer<{ datname: string }>(
    serverUrl,
    `SELECT datname FROM pg_database WHERE starts_with(datname, '${SCRATCH_PREFIX}')`,
  );
  for (const { datname } of rows) {
    const createdAt = Number(datname.slice(SCRATCH_PREFIX.length).split("_")[0]);
    if (Date.now() - createdAt > SCRATCH_MAX_AGE_MS) {
      await onServer(serverUrl, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  }
}

async function onServer<Row>(serverUrl: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Row[];
  } finally {
    await client.end();
  }
}

let warned = false;

// A suite that quietly skips PostgreSQL reads as green while testing half of what ships.
function warnSkipped(target: DatabaseTarget): void {
  if (warned) return;
  warned = true;
  const line = "=".repeat(78);
  console.warn(
    `\n${line}\n  ${target.name.toUpperCase()} DATABASE TESTS SKIPPED: ${target.skipReason}.\n` +
      `  Set TEST_DATABASE_URL=postgresql://user@host:5432/db to run every database suite\n` +
      `  against PostgreSQL as well (each suite creates and drops its own database).\n${line}\n`,
  );
}

/** The database of the running suite; read it inside tests and hooks, not while collecting. */
export interface SuiteDatabase {
  readonly target: DatabaseTargetName;
  readonly client: Database["client"];
  /** Where it lives, for a child process to open it too (PGlite in memory cannot be shared). */
  readonly location: DbLocation;
  migrate: Database["migrate"];
}

/**
 * Declares `suite` once per database target, as `name [pglite]` and `name [postgresql]`.
 * Each gets a fresh database for the whole describe block (migrated unless `migrate: false`),
 * discarded afterwards; tests inside share it, so they should create the rows they rely on.
 */
export function describeEachDatabase(
  name: string,
  suite: (db: SuiteDatabase) => void,
  options: { migrate?: boolean } = {},
): void {
  for (const target of databaseTargets()) {
    const title = `${name} [${target.name}]`;
    let database: (Database & { location: DbLocation }) | undefined;
    const view = suiteView(target.name, () => {
      if (!database) throw new Error(`${title}: the database is open only inside tests and hooks`);
      return database;
    });
    if (target.skipReason) {
      warnSkipped(target);
      describe.skip(title, () => suite(view));
      continue;
    }
    describe(title, () => {
      beforeAll(async () => {
        database = await target.open(options);
      });
      afterAll(async () => {
        await database?.close();
      });
      suite(view);
    });
  }
}

function suiteView(target: DatabaseTargetName, current: () => Database & { location: DbLocation }): SuiteDatabase {
  return {
    target,
    get client() {
      return current().client;
    },
    get location() {
      return current().location;
    },
    migrate: (migrationsDir) => current().migrate(migrationsDir),
  };
}
