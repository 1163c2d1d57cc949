import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { DEFAULT_MIGRATIONS_DIR, checksumOf, readMigrations } from "./migrations-dir";

const shipped = readMigrations();
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-migrations-"));
  tempDirs.push(dir);
  return dir;
}

/** A copy of prisma/migrations plus extra ones, to play with without touching the real folder. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = tempDir();
  fs.cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

interface MigrationRow {
  id: string;
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

describeEachDatabase(
  "applying migrations",
  (db) => {
    const rows = () =>
      db.client.$queryRawUnsafe<MigrationRow[]>(
        `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`,
      );

    it("migrates an empty database, recording each migration as Prisma does", async () => {
      expect(shipped.length).toBeGreaterThan(0);
      const result = await db.migrate();
      expect(result).toEqual({ applied: shipped.map((m) => m.name), unknown: [] });

      const recorded = await rows();
      expect(recorded.map((row) => row.migration_name)).toEqual(shipped.map((m) => m.name));
      for (const [index, row] of recorded.entries()) {
        expect(row.checksum).toBe(checksumOf(shipped[index]!.sql));
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.applied_steps_count).toBe(1);
        expect(row.logs).toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      }
      // The schema is the one the generated client expects.
      const user = await db.client.user.create({ data: { email: "a@example.com", name: "A" } });
      expect(await db.client.user.findUnique({ where: { id: user.id } })).toMatchObject({
        role: "viewer",
      });
    });

    it("changes nothing when applied again", async () => {
      const before = await rows();
      expect(await db.migrate()).toEqual({ applied: [], unknown: [] });
      expect(await rows()).toEqual(before);
    });

    it("refuses to run when an applied migration was edited", async () => {
      const dir = migrationsWith({});
      const first = shipped[0]!.name;
      fs.appendFileSync(path.join(dir, first, "migration.sql"), "\n-- an innocent edit\n");
      await expect(db.migrate(dir)).rejects.toThrow(
        `Migration ${first} was edited after it was applied to this database`,
      );
    });

    it("tolerates line endings converted by git", async () => {
      const dir = migrationsWith({});
      const file = path.join(dir, shipped[0]!.name, "migration.sql");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/\n/g, "\r\n"));
      expect(await db.migrate(dir)).toEqual({ applied: [], unknown: [] });
    });

    it("applies a migration once when two instances start together, as one script", async () => {
      // A function body full of `;`: it only survives if the file is sent as one query.
      const probe = "99990101000000_probe_function";
      const dir = migrationsWith({
        [probe]: `CREATE FUNCTION flightdeck_probe() RETURNS integer AS $$
          DECLARE answer integer;
          BEGIN answer := 42; RETURN answer; END;
        $$ LANGUAGE plpgsql;`,
      });
      const results = await Promise.all([db.migrate(dir), db.migrate(dir)]);
      expect(results.flatMap((result) => result.applied)).toEqual([probe]);
      expect(await db.client.$queryRawUnsafe(`SELECT flightdeck_probe() AS answer`)).toEqual([
        { answer: 42 },
      ]);
    });

    it("rolls a failing migration back entirely and says which one failed", async () => {
      const broken = "99990102000000_broken";
      const dir = migrationsWith({
        [broken]: `CREATE TABLE "Probe" (id integer); SELECT 1 / 0;`,
      });
      await expect(db.migrate(dir)).rejects.toThrow(
        new RegExp(`Migration ${broken} failed and was rolled back: division by zero`),
      );
      expect(
        await db.client.$queryRawUnsafe(`SELECT to_regclass('"Probe"') IS NULL AS gone`),
      ).toEqual([{ gone: true }]);
      expect((await rows()).map((row) => row.migration_name)).not.toContain(broken);
    });

    it("reports migrations the database has but the folder lacks", async () => {
      const result = await db.migrate(tempDir());
      expect(result.applied).toEqual([]);
      expect(result.unknown).toEqual(expect.arrayContaining(shipped.map((m) => m.name)));
    });
  },
  { migrate: false },
);
