import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { openMemoryPglite } from "~/server/migrate/memory-pglite";
import { describeEachDatabase } from "~/server/testing/database";
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

describeEachDatabase("ANALYZE of the archive's tables", (database) => {
  it("gathers statistics on the columns queries filter by, none on the content columns", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `stats-${randomUUID()}`, kind: "remote", url: "" } });
    const session = await db.session.create({ data: { opencodeId: `ses_${randomUUID()}`, runnerId: runner.id, directory: "/w" } });
    const turn = await db.turn.create({ data: { sessionId: session.id, index: 1, userMessageId: "msg_1", status: "completed" } });
    for (let m = 0; m < 20; m++) {
      const message = await db.message.create({
        data: { sessionId: session.id, turnId: turn.id, opencodeId: `msg_${m}`, role: "assistant", data: { note: `info ${m}` }, error: { name: "E" }, createdAt: new Date() },
      });
      const part = await db.part.create({
        data: { sessionId: session.id, messageId: message.id, turnId: turn.id, opencodeId: `prt_${m}`, type: "tool", text: `text ${m}`, data: { raw: m } },
      });
      await db.toolSpan.create({
        data: { sessionId: session.id, partId: part.id, turnId: turn.id, callId: `call_${m}`, tool: "read", status: "error", input: { path: `/f${m}` }, output: `out ${m}`, error: `err ${m}` },
      });
    }
    await db.$executeRawUnsafe(`ANALYZE "Part", "ToolSpan", "Message"`);
    const rows = await db.$queryRawUnsafe<{ tablename: string; attname: string }[]>(
      `SELECT tablename, attname FROM pg_stats WHERE schemaname = current_schema() AND tablename IN ('Part', 'ToolSpan', 'Message')`,
    );
    const analyzed = new Set(rows.map((r) => `${r.tablename}.${r.attname}`));
    for (const column of ["Part.sessionId", "Part.messageId", "Part.type", "ToolSpan.sessionId", "ToolSpan.tool", "Message.sessionId", "Message.createdAt"]) {
      expect(analyzed, column).toContain(column);
    }
    for (const column of ["Part.text", "Part.data", "ToolSpan.input", "ToolSpan.output", "ToolSpan.error", "Message.data", "Message.error"]) {
      expect(analyzed, column).not.toContain(column);
    }
  });
});
