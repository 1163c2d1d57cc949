import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { closeDb, createDb, getDb } from "./db";
import { readMigrations } from "./migrate/migrations-dir";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-db-"));
afterAll(async () => {
  await closeDb();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("getDb", () => {
  it("opens PGlite in the data dir, migrated once, and keeps data across restarts", async () => {
    // config() is read on first use, which happens inside getDb.
    vi.stubEnv("FLIGHTDECK_DATA_DIR", dataDir);
    vi.stubEnv("DATABASE_URL", "");
    const [first, second] = await Promise.all([getDb(), getDb()]);
    expect(second).toBe(first);
    expect(fs.existsSync(path.join(dataDir, "pglite", "PG_VERSION"))).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, "pglite.lock"), "utf8")).toBe(String(process.pid));
    const applied = `SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    const once = await first.$queryRawUnsafe<{ migration_name: string; finished_at: Date }[]>(applied);
    expect(once.map((m) => m.migration_name)).toEqual(readMigrations().map((m) => m.name));
    await first.user.create({ data: { email: "kept@example.com", name: "Kept" } });

    await closeDb();
    expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
    const reopened = await getDb();
    expect(reopened).not.toBe(first);
    expect(await reopened.user.findUnique({ where: { email: "kept@example.com" } })).toMatchObject({
      name: "Kept",
    });
    // Nothing left to apply: the same rows, applied when they first were.
    expect(await reopened.$queryRawUnsafe(applied)).toEqual(once);
  });
});

describe("createDb", () => {
  it("migrates before returning when no options are given", async () => {
    const db = await createDb({ memory: true });
    try {
      await expect(db.client.runner.count()).resolves.toBe(0);
    } finally {
      await db.close();
    }
  });

  it("refuses a PGlite folder that another live process has open", async () => {
    const pgliteDir = path.join(dataDir, "taken");
    fs.writeFileSync(`${pgliteDir}.lock`, String(process.ppid));
    await expect(createDb({ pgliteDir })).rejects.toThrow(
      `PGlite in ${pgliteDir} is in use by process ${process.ppid}`,
    );
  });

  it("names the PostgreSQL server it cannot reach, without the password", async () => {
    const attempt = createDb({ url: "postgresql://alice:s3cret@127.0.0.1:1/flightdeck" });
    await expect(attempt).rejects.toThrow(
      /^Cannot connect to PostgreSQL at alice@127\.0\.0\.1:1\/flightdeck: .*ECONNREFUSED/,
    );
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });
});
