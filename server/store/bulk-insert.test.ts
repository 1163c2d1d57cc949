import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import type { Tx } from "~/server/db";
import { describeEachDatabase } from "~/server/testing/database";
import {
  bulkInsert, dollarQuoted, MESSAGE_COLUMNS, MESSAGE_REFERENCES, PART_COLUMNS, PART_REFERENCES, TOOL_SPAN_COLUMNS, TOOL_SPAN_COPIED,
  TOOL_SPAN_REFERENCES,
} from "./bulk-insert";

describeEachDatabase("a bulk insert's json literal", (database) => {
  it("comes back from the database exactly as written, whatever ends other literals", async () => {
    const texts = ["plain", "it's", "back\\slash \\' \\\\", "$$ $j$ $j00$ $1 $tag$", "line\nbreak\ttab", "é 日本 🎉", '{"a":"\\u0000"}', ""];
    for (const text of texts) {
      const [row] = await database.client.$queryRawUnsafe<{ t: string }[]>(`SELECT ${dollarQuoted(text)}::text AS t`);
      expect(row!.t).toBe(text);
    }
  });
}, { migrate: false });


describeEachDatabase("a bulk insert's references", (database) => {
  const tree = async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `bulk-${randomUUID()}`, kind: "remote", url: "" } });
    const session = await db.session.create({ data: { opencodeId: `ses_${randomUUID()}`, runnerId: runner.id, directory: "/w" } });
    const turn = await db.turn.create({ data: { sessionId: session.id, index: 1, userMessageId: `msg_${randomUUID()}`, status: "completed" } });
    const message = await db.message.create({ data: { sessionId: session.id, turnId: turn.id, opencodeId: `msg_${randomUUID()}`, role: "assistant", data: {}, createdAt: new Date() } });
    return { sessionId: session.id, turnId: turn.id, messageId: message.id };
  };
  const part = (parents: { sessionId: string; turnId: string; messageId: string }, text: string) => ({
    id: randomUUID(), ...parents, opencodeId: `prt_${randomUUID()}`, type: "text", text, data: { type: "text" }, updatedAt: new Date(),
  });
  const insertParts = (tx: Tx, rows: Record<string, unknown>[]) => bulkInsert(tx, { table: "Part", columns: PART_COLUMNS, references: PART_REFERENCES, rows });

  it("are the schema's foreign keys among the columns each table writes", async () => {
    const keys = await database.client.$queryRaw<{ table: string; column: string; parent: string }[]>`
      SELECT c.conrelid::regclass::text AS table, a.attname AS column, c.confrelid::regclass::text AS parent
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.conrelid::regclass::text IN ('"Message"', '"Part"', '"ToolSpan"')`;
    for (const [table, columns, references] of [["Message", MESSAGE_COLUMNS, MESSAGE_REFERENCES], ["Part", PART_COLUMNS, PART_REFERENCES], ["ToolSpan", TOOL_SPAN_COLUMNS, TOOL_SPAN_REFERENCES]] as const) {
      const written = new Set(columns.map(([name]) => name));
      const declared = keys.filter((k) => k.table === `"${table}"` && written.has(k.column)).map((k) => [k.column, k.parent.replaceAll('"', "")]);
      expect(declared.sort(), table).toEqual([...references].map(([column, parent]) => [column, parent]).sort());
    }
  });

  it("a row naming a parent that does not exist fails the insert, and nothing of it is stored", async () => {
    const parents = await tree();
    const rows = [part(parents, "fine"), part({ ...parents, messageId: randomUUID() }, "orphan")];
    const write = database.client.$transaction((tx) => insertParts(tx, rows));
    await expect(write).rejects.toThrow(database.target === "pglite" ? /1 row\(s\) name a Message that does not exist \(messageId\)/ : /foreign key/i);
    expect(await database.client.part.count({ where: { sessionId: parents.sessionId } })).toBe(0);
  });

  it("copies a span's input, output and error from its part, and fails a span whose part does not exist", async () => {
    const parents = await tree();
    const state = { status: "completed", input: { filePath: "/a\u0000" }, output: "whole", error: "late" };
    const row = { ...part(parents, "tool"), type: "tool", text: undefined, data: { type: "tool", state } };
    const span = (partId: string, cappedOutput?: string) => ({
      id: randomUUID(), sessionId: parents.sessionId, partId, turnId: parents.turnId, callId: "call_1", tool: "read", status: "completed",
      outputTruncated: cappedOutput !== undefined, outputBytes: 5, cappedOutput,
    });
    const spans = (rows: Record<string, unknown>[]) => ({ table: "ToolSpan", columns: TOOL_SPAN_COLUMNS, references: TOOL_SPAN_REFERENCES, copied: TOOL_SPAN_COPIED, rows });
    await database.client.$transaction((tx) => bulkInsert(tx, { table: "Part", columns: PART_COLUMNS, references: PART_REFERENCES, rows: [row] }, spans([span(row.id)])));
    expect(await database.client.toolSpan.findUniqueOrThrow({ where: { partId: row.id } })).toMatchObject({ input: state.input, output: "whole", error: "late" });

    const other = part(parents, "tool");
    await database.client.$transaction((tx) => bulkInsert(tx, { table: "Part", columns: PART_COLUMNS, references: PART_REFERENCES, rows: [{ ...other, data: { state } }] }, spans([span(other.id, "wh")])));
    expect(await database.client.toolSpan.findUniqueOrThrow({ where: { partId: other.id } })).toMatchObject({ output: "wh", outputTruncated: true });

    const orphan = span(randomUUID());
    await expect(database.client.$transaction((tx) => bulkInsert(tx, spans([orphan])))).rejects.toThrow(
      database.target === "pglite" ? /1 row\(s\) name a Part that does not exist \(partId\)/ : /foreign key/i,
    );
    expect(await database.client.toolSpan.count({ where: { id: orphan.id } })).toBe(0);
  });

  it("leaves the row triggers on for the rest of the transaction", async () => {
    const parents = await tree();
    const row = part(parents, "first words");
    await database.client.$transaction(async (tx) => {
      await insertParts(tx, [row]);
      await tx.$executeRaw`UPDATE "Part" SET search = flightdeck_part_search(text, data) WHERE id = ${row.id}`;
      // The trigger that makes a rewritten part's vector pending fires on this update.
      await tx.part.update({ where: { id: row.id }, data: { text: "other words" } });
    });
    const [stored] = await database.client.$queryRaw<{ pending: boolean }[]>`SELECT search IS NULL AS pending FROM "Part" WHERE id = ${row.id}`;
    expect(stored!.pending).toBe(true);
  });
});
