import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffMigrationsToSchema } from "./diff";
import { DEFAULT_SCHEMA_PATH, LOCK_FILE_CONTENT, LOCK_FILE_NAME } from "./migrations-dir";

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-drift-"));
afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));

describe("schema drift", () => {
  it("prisma/schema.prisma is exactly what prisma/migrations build", async () => {
    expect(
      await diffMigrationsToSchema(),
      "schema.prisma changed without a migration: run npm run db:migrate:create -- <name>",
    ).toBeNull();
  });

  it("notices a schema change that has no migration", async () => {
    const schemaPath = path.join(tempDir, "schema.prisma");
    const schema = fs.readFileSync(DEFAULT_SCHEMA_PATH, "utf8");
    const changed = schema.replace(/^model User \{$/m, "model User {\n  driftProbe String?");
    expect(changed).not.toBe(schema);
    fs.writeFileSync(schemaPath, changed);

    expect(await diffMigrationsToSchema({ schemaPath })).toMatch(
      /ALTER TABLE "User" ADD COLUMN\s+"driftProbe" TEXT;/,
    );
  });

  it("names the migration that does not replay, with the database's reason", async () => {
    const migrationsDir = path.join(tempDir, "broken");
    fs.mkdirSync(path.join(migrationsDir, "20260101000000_broken"), { recursive: true });
    fs.writeFileSync(path.join(migrationsDir, LOCK_FILE_NAME), LOCK_FILE_CONTENT);
    fs.writeFileSync(
      path.join(migrationsDir, "20260101000000_broken", "migration.sql"),
      "CREATE TABLE oops (id integer;",
    );

    await expect(diffMigrationsToSchema({ migrationsDir })).rejects.toThrow(
      /`20260101000000_broken` failed to apply cleanly .* The database said: syntax error/,
    );
  });
});
