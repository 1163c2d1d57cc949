import fs from "node:fs";
import path from "node:path";
import type { DiffTarget } from "@prisma/schema-engine-wasm/schema_engine_bg";
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  LOCK_FILE_CONTENT,
  LOCK_FILE_NAME,
  readMigrations,
} from "./migrations-dir";
import { diffSchemas } from "./schema-engine";

export interface DiffInput {
  migrationsDir?: string;
  schemaPath?: string;
}

/**
 * The SQL that takes a database migrated with every migration in `migrationsDir` to
 * `schemaPath`, or null when they already agree.
 */
export async function diffMigrationsToSchema({
  migrationsDir = DEFAULT_MIGRATIONS_DIR,
  schemaPath = DEFAULT_SCHEMA_PATH,
}: DiffInput = {}): Promise<string | null> {
  const schema = { path: schemaPath, content: fs.readFileSync(schemaPath, "utf8") };
  const result = await diffSchemas({
    from: migrationsTarget(migrationsDir),
    to: { tag: "schemaDatamodel", files: [schema] },
  });
  return result.exitCode === 2 ? result.stdout : null;
}

function migrationsTarget(migrationsDir: string): DiffTarget {
  const migrations = fs.existsSync(migrationsDir) ? readMigrations(migrationsDir) : [];
  // Before the first migration, the starting point is an empty database.
  if (migrations.length === 0) return { tag: "empty" };
  const lockPath = path.join(migrationsDir, LOCK_FILE_NAME);
  return {
    tag: "migrations",
    baseDir: migrationsDir,
    // A folder whose lock file went missing is still PostgreSQL: there is no other provider.
    lockfile: {
      path: LOCK_FILE_NAME,
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : LOCK_FILE_CONTENT,
    },
    shadowDbInitScript: "",
    migrationDirectories: migrations.map((migration) => ({
      path: migration.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: migration.sql } },
    })),
  };
}
