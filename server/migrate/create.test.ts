import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMigration } from "./create";
import { LOCK_FILE_NAME, readMigrations } from "./migrations-dir";

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-create-"));
afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));

describe("creating a migration", () => {
  const migrationsDir = path.join(tempDir, "migrations");

  it("refuses without a name, before doing anything", async () => {
    await expect(createMigration({ name: " ", migrationsDir })).rejects.toThrow(
      "A migration needs a name: npm run db:migrate:create -- <name>",
    );
    expect(fs.existsSync(migrationsDir)).toBe(false);
  });

  it("writes the whole schema as the first migration, with Prisma's lock file", async () => {
    const file = await createMigration({
      name: "first steps",
      migrationsDir,
      now: new Date("2026-03-04T05:06:07.890Z"),
    });

    expect(path.relative(migrationsDir, file)).toBe(
      path.join("20260304050607_first_steps", "migration.sql"),
    );
    expect(fs.readFileSync(file, "utf8")).toMatch(/CREATE TABLE "Session"/);
    expect(fs.readFileSync(path.join(migrationsDir, LOCK_FILE_NAME), "utf8")).toMatch(
      /^provider = "postgresql"$/m,
    );
    expect(readMigrations(migrationsDir).map((m) => m.name)).toEqual([
      "20260304050607_first_steps",
    ]);
  });

  it("refuses when the schema has not changed since", async () => {
    // The project's own migrations: a generated first migration cannot hold the search index's
    // generated columns (Prisma writes them as DEFAULTs), which the hand-edited one does.
    const projectDir = path.join(tempDir, "project-migrations");
    fs.cpSync(path.join(process.cwd(), "prisma", "migrations"), projectDir, { recursive: true });
    const count = readMigrations(projectDir).length;
    await expect(createMigration({ name: "again", migrationsDir: projectDir })).rejects.toThrow(
      "No changes: the schema already matches the migrations",
    );
    expect(readMigrations(projectDir)).toHaveLength(count);
  });
});
