import { randomUUID } from "node:crypto";
import { matchesChecksum, type Migration } from "./migrations-dir";
import type { MigrationSession } from "./session";

// Prisma's own table, same definition, so `prisma migrate status|deploy` and this applier can
// take over from each other.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

export interface MigrateResult {
  /** Names applied by this call, in order; empty when the database was up to date. */
  applied: string[];
  /** Applied to the database but absent from the folder: a newer app version migrated it. */
  unknown: string[];
}

/**
 * Applies every pending migration, each in its own transaction together with its
 * `_prisma_migrations` row, so a failed migration leaves neither schema changes nor a row.
 */
export function applyMigrations(
  session: MigrationSession,
  migrations: Migration[],
): Promise<MigrateResult> {
  return session.exclusive(async () => {
    await session.query(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
       WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    assertHistoryIntact(migrations, rows);
    const appliedNames = new Set(rows.map((row) => row.migration_name));
    const pending = migrations.filter((migration) => !appliedNames.has(migration.name));
    for (const migration of pending) await applyOne(session, migration);
    const known = new Set(migrations.map((migration) => migration.name));
    return {
      applied: pending.map((migration) => migration.name),
      unknown: [...appliedNames].filter((name) => !known.has(name)),
    };
  });
}

function assertHistoryIntact(migrations: Migration[], rows: AppliedRow[]): void {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  for (const row of rows) {
    if (row.finished_at === null) {
      throw new Error(
        `Migration ${row.migration_name} failed earlier and may be half applied ` +
          `(_prisma_migrations.finished_at is empty). Repair the database by hand, then run ` +
          `UPDATE "_prisma_migrations" SET rolled_back_at = now() ` +
          `WHERE migration_name = '${row.migration_name}' AND finished_at IS NULL`,
      );
    }
    const migration = byName.get(row.migration_name);
    if (migration && !matchesChecksum(migration.sql, row.checksum)) {
      throw new Error(
        `Migration ${row.migration_name} was edited after it was applied to this database ` +
          `(the checksum recorded in _prisma_migrations no longer matches its migration.sql). ` +
          `Restore the file and put the change in a new migration: ` +
          `npm run db:migrate:create -- <name>`,
      );
    }
  }
}

async function applyOne(session: MigrationSession, migration: Migration): Promise<void> {
  const id = randomUUID();
  try {
    await session.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
         VALUES ($1, $2, $3, now())`,
        [id, migration.checksum, migration.name],
      );
      await tx.script(migration.sql);
      await tx.query(
        `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1
         WHERE id = $1`,
        [id],
      );
    });
  } catch (error) {
    throw new Error(
      `Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
