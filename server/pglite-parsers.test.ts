import { PGlite, types, type QueryOptions } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shareParsers } from "./pglite-parsers";

// A row of types PGlite parses itself, arrays included, and one (money) it leaves as text.
const ROW = `SELECT 9007199254740993::int8 AS big, '2026-12-05 06:00:00+00'::timestamptz AS at, '{"a":[1,2]}'::jsonb AS doc,
  ARRAY[1,2,3]::int4[] AS ints, ARRAY['2026-01-01'::date] AS days, 12.5::numeric AS num, 3::money AS cash, true AS yes`;

// Parsers as Prisma's adapter passes them: some types PGlite parses, and one it does not.
const tagged = (tag: string) => (value: string) => `${tag}:${value}`;
const ADAPTER: QueryOptions["parsers"] = { [types.INT8]: tagged("int8"), [types.JSONB]: tagged("jsonb"), [790]: tagged("money") };
const OTHER: QueryOptions["parsers"] = { [types.TIMESTAMPTZ]: tagged("at") };

describe("shareParsers", () => {
  let plain: PGlite;
  let shared: PGlite;
  beforeAll(async () => {
    plain = await PGlite.create();
    shared = shareParsers(await PGlite.create());
  });
  afterAll(async () => {
    await plain.close();
    await shared.close();
  });

  const both = async (options?: QueryOptions) => [(await plain.query(ROW, [], options)).rows, (await shared.query(ROW, [], options)).rows];

  it("parses every query exactly as PGlite does, with the adapter's parsers, with none, and with others", async () => {
    for (const options of [{ parsers: ADAPTER }, undefined, { parsers: OTHER }, { parsers: ADAPTER, rowMode: "array" as const }, {}]) {
      const [expected, got] = await both(options);
      expect(got).toEqual(expected);
    }
    // The adapter's parsers did apply, and a query without them did not get them.
    expect((await shared.query<{ big: string; cash: string }>(ROW, [], { parsers: ADAPTER })).rows[0]).toMatchObject({ big: "int8:9007199254740993", cash: "money:$3.00" });
    expect((await shared.query<{ big: bigint; cash: string }>(ROW)).rows[0]).toMatchObject({ big: 9007199254740993n, cash: "$3.00" });
  });

  it("does the same inside a transaction and for scripts", async () => {
    const inTx = (db: PGlite) => db.transaction(async (tx) => [(await tx.query(ROW, [], { parsers: ADAPTER })).rows, (await tx.query(ROW)).rows]);
    expect(await inTx(shared)).toEqual(await inTx(plain));
    expect((await shared.exec(ROW))[0]!.rows).toEqual((await plain.exec(ROW))[0]!.rows);
  });
});
