import fc from "fast-check";
import { protocol, type PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openMemoryPglite } from "~/server/migrate/memory-pglite";
import { bindMessage, parseMessage, pgProtocol, writeMessagesFast } from "./pglite-wire";

// Well-formed text of every width in UTF-8 (pg-protocol miscounts a lone trailing surrogate).
const text = fc.string({ unit: "grapheme", maxLength: 200 });
const value = fc.oneof(text, fc.constant(null), fc.uint8Array({ maxLength: 50 }), fc.uint8Array({ minLength: 4, maxLength: 50 }).map((b) => b.subarray(2)));

it("writes parse messages byte for byte as pg-protocol does", () => {
  fc.assert(
    fc.property(fc.option(text, { nil: undefined }), text, fc.option(fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 })), { nil: undefined }), (name, sql, types) => {
      const options = { name, text: sql, types };
      expect(parseMessage(options)).toEqual(pgProtocol.parse(options));
    }),
  );
});

it("writes bind messages byte for byte as pg-protocol does: text, null and binary values", () => {
  fc.assert(
    fc.property(fc.array(value, { maxLength: 8 }), fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }), fc.boolean(), (values, portal, statement, binary) => {
      const options = { values, portal, statement, binary };
      expect(bindMessage(options)).toEqual(pgProtocol.bind(options));
      const mapper = (v: unknown, i: number) => (i % 2 ? null : (v as string | null));
      expect(bindMessage({ ...options, valueMapper: mapper })).toEqual(pgProtocol.bind({ ...options, valueMapper: mapper }));
    }),
  );
});

let db: PGlite;
beforeAll(async () => {
  writeMessagesFast();
  db = await openMemoryPglite();
  await db.exec("CREATE TABLE t (txt text, doc jsonb, raw bytea, tags text[])");
});
afterAll(async () => db?.close());

it("is what PGlite's statements write with, and the database reads them as sent", async () => {
  expect(protocol.serialize.bind).toBe(bindMessage);
  expect(protocol.serialize.parse).toBe(parseMessage);
  const long = "é€😀a".repeat(300_000);
  const row = { txt: long, doc: { long, n: 1 }, raw: new Uint8Array([0, 1, 255]), tags: ["x", "ü"] };
  await db.query("INSERT INTO t VALUES ($1, $2, $3, $4), (NULL, NULL, NULL, NULL)", [row.txt, row.doc, row.raw, row.tags]);
  const { rows } = await db.query("SELECT *, length(txt) AS chars FROM t /* ünïcode in the statement */ ORDER BY txt NULLS LAST");
  expect(rows).toEqual([
    { ...row, chars: [...long].length },
    { txt: null, doc: null, raw: null, tags: null, chars: null },
  ]);
});
