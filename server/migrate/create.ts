import fs from "node:fs";
import path from "node:path";
import { diffMigrationsToSchema, type DiffInput } from "./diff";
import { DEFAULT_MIGRATIONS_DIR, LOCK_FILE_CONTENT, LOCK_FILE_NAME } from "./migrations-dir";

export interface CreateMigrationInput extends DiffInput {
  name: string | undefined;
  now?: Date;
}

/**
 * Writes `<migrationsDir>/<UTC yyyymmddHHMMSS>_<name>/migration.sql` with the SQL that brings
 * the migrations up to the schema; returns the file's path.
 */
export async function createMigration({
  name,
  now = new Date(),
  migrationsDir = DEFAULT_MIGRATIONS_DIR,
  schemaPath,
}: CreateMigrationInput): Promise<string> {
  const slug = (name ?? "").trim().replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (!slug) {
    throw new Error("A migration needs a name: npm run db:migrate:create -- <name>");
  }
  const sql = await diffMigrationsToSchema({ migrationsDir, schemaPath });
  if (sql === null) {
    throw new Error(
      "No changes: the schema already matches the migrations, so there is nothing to create.",
    );
  }
  const lockPath = path.join(migrationsDir, LOCK_FILE_NAME);
  const folder = path.join(migrationsDir, `${timestamp(now)}_${slug}`);
  fs.mkdirSync(migrationsDir, { recursive: true });
  fs.mkdirSync(folder); // throws rather than overwrite a migration of the same second and name
  if (!fs.existsSync(lockPath)) fs.writeFileSync(lockPath, LOCK_FILE_CONTENT);
  const file = path.join(folder, "migration.sql");
  fs.writeFileSync(file, sql);
  return file;
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}
