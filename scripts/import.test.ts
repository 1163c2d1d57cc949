import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { subagentRunRows, writeOpencodeDb } from "~/server/archive/testing";

// `npm run import -- <opencode.db>` as a user runs it: into the configured (here: a fresh
// embedded PGlite) database, idempotent, and a clear error for a file that is not one.
describe("npm run import", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-import-cli-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (file: string) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "import.ts"), file], {
      env: { ...process.env, FLIGHTDECK_DATA_DIR: dir, DATABASE_URL: "" },
      encoding: "utf8",
      timeout: 120_000,
    });

  it("imports every tree of an opencode.db, then changes nothing when run again", () => {
    const file = path.join(dir, "opencode.db");
    writeOpencodeDb(file, subagentRunRows());
    const first = run(file);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Imported 1 session tree\(s\), 3 session\(s\), \d+ change\(s\) under runner "opencode.db"/);
    const second = run(file);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("Imported 1 session tree(s), 3 session(s), 0 change(s)");
  }, 180_000);

  it("refuses a file that is not an opencode database, saying so", () => {
    const file = path.join(dir, "notes.txt");
    fs.writeFileSync(file, "not a database");
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`"${file}" is not an opencode database: it is not a SQLite file.`);
    expect(run(path.join(dir, "missing.db")).stderr).toContain("No such file");
  }, 180_000);
});
