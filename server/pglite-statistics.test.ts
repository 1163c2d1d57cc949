import { afterAll, beforeAll, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { openMemoryPglite } from "~/server/migrate/memory-pglite";
import { analyzeGrownTables, keepStatistics } from "./pglite-statistics";

let pglite: PGlite;
beforeAll(async () => {
  pglite = await openMemoryPglite();
  await pglite.exec(`CREATE TABLE "Grows" (n int, label text); CREATE TABLE "Empty" (n int)`);
});
afterAll(async () => pglite?.close());

const insert = (from: number, to: number) =>
  pglite.query(`INSERT INTO "Grows" SELECT g, repeat('x', 100) FROM generate_series($1::int, $2::int) g`, [from, to]);

/** What the planner believes the table holds: -1 until it is analyzed. */
const plannerRows = async () =>
  (await pglite.query<{ rows: number }>(`SELECT reltuples::int AS rows FROM pg_class WHERE relname = 'Grows'`)).rows[0]!.rows;

it("analyzes a table never analyzed, again once it grew by a tenth, and leaves empty and unchanged ones alone", async () => {
  await insert(1, 5_000);
  expect(await plannerRows()).toBe(-1);
  expect(await analyzeGrownTables(pglite)).toEqual(["Grows"]);
  expect(await plannerRows()).toBe(5_000);

  expect(await analyzeGrownTables(pglite)).toEqual([]);
  await insert(5_001, 5_100); // 2%: the statistics still hold
  expect(await analyzeGrownTables(pglite)).toEqual([]);
  await insert(5_101, 6_000);
  expect(await analyzeGrownTables(pglite)).toEqual(["Grows"]);
  expect(await plannerRows()).toBe(6_000);
});

it("checks as it starts, reports what it analyzed, and refreshes on demand", async () => {
  await pglite.exec(`CREATE TABLE "Later" (n int); INSERT INTO "Later" SELECT generate_series(1, 100)`);
  const reports: string[][] = [];
  const keeper = keepStatistics(pglite, { analyzed: (tables) => reports.push(tables), failed: (error) => reports.push([`failed: ${error}`]) });
  expect(await keeper.refresh()).toEqual([]); // the check at start already did it
  expect(reports).toEqual([["Later"]]);
  await pglite.exec(`INSERT INTO "Later" SELECT generate_series(101, 10000)`);
  expect(await keeper.refresh()).toEqual(["Later"]);
  await keeper.stop();
});
