import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

/** What the migration applier needs from a database connection, on either target. */
export interface MigrationSession {
  /** Runs `work` while no other migrator can run against the same database. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction: everything commits or nothing does. */
  transaction(work: (tx: MigrationTransaction) => Promise<void>): Promise<void>;
}

export interface MigrationTransaction {
  query(sql: string, params?: unknown[]): Promise<unknown>;
  /** Sends a whole script (many statements, `$$` bodies) as one query, never split on `;`. */
  script(sql: string): Promise<void>;
}

// The key `prisma migrate deploy` locks, so a native Prisma deploy and this applier also
// exclude each other.
const ADVISORY_LOCK_KEY = 72707369;

/** A session over one dedicated PostgreSQL connection (the advisory lock is per connection). */
export function postgresSession(client: pg.ClientBase): MigrationSession {
  const query = async <Row>(sql: string, params?: unknown[]) =>
    (await client.query(sql, params)).rows as Row[];
  return {
    async exclusive(work) {
      await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
      }
    },
    query,
    async transaction(work) {
      await client.query("BEGIN");
      try {
        // Without parameters pg uses the simple query protocol, which accepts many statements.
        await work({ query, script: async (sql) => void (await client.query(sql)) });
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
  };
}

// PGlite lives in this process only, so an in-process queue per instance is the whole lock.
const pgliteQueues = new WeakMap<PGlite, Promise<unknown>>();

export function pgliteSession(db: PGlite): MigrationSession {
  return {
    exclusive(work) {
      const run = (pgliteQueues.get(db) ?? Promise.resolve()).then(work);
      pgliteQueues.set(db, run.catch(() => undefined));
      return run;
    },
    query: async <Row>(sql: string, params?: unknown[]) =>
      (await db.query<Row>(sql, params)).rows,
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: (sql, params) => tx.query(sql, params),
          script: async (sql) => void (await tx.exec(sql)),
        }),
      ),
  };
}
