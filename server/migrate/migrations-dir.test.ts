import { describe, expect, it } from "vitest";
import { checksumOf, matchesChecksum, readMigrations } from "./migrations-dir";

describe("migration checksums", () => {
  const sql = "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n";

  it("are the sha256 hex digest of the file, as Prisma stores them", () => {
    expect(checksumOf("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("survive a line-ending conversion either way, and nothing else", () => {
    expect(matchesChecksum(sql.replace(/\n/g, "\r\n"), checksumOf(sql))).toBe(true);
    expect(matchesChecksum(sql, checksumOf(sql.replace(/\n/g, "\r\n")))).toBe(true);
    expect(matchesChecksum(`${sql} `, checksumOf(sql))).toBe(false);
  });
});

describe("reading migrations", () => {
  it("refuses a missing folder rather than treating it as no migrations", () => {
    expect(() => readMigrations("/nonexistent/migrations")).toThrow(
      "No migrations folder at /nonexistent/migrations",
    );
  });
});
