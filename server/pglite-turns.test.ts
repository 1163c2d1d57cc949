import { afterAll, beforeAll, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { openMemoryPglite } from "~/server/migrate/memory-pglite";
import { takeTurns } from "./pglite-turns";

let pglite: PGlite;
beforeAll(async () => {
  pglite = takeTurns(await openMemoryPglite());
  await pglite.query("CREATE TABLE t (n int)");
});
afterAll(async () => pglite?.close());

/** Whether a timer set as `work` starts fires before `work` ends: a request would be read. */
async function timerFiresDuring(work: () => Promise<unknown>): Promise<boolean> {
  let fired = false;
  const timer = setTimeout(() => (fired = true), 0);
  await work();
  clearTimeout(timer);
  return fired;
}

it("lets timers and I/O in during a long transaction, and commits all of it", async () => {
  const fired = await timerFiresDuring(() =>
    pglite.transaction(async (tx) => {
      for (let n = 0; n < 3_000; n++) await tx.query("INSERT INTO t VALUES ($1)", [n]);
    }),
  );
  expect(fired).toBe(true);
  expect((await pglite.query<{ count: number }>("SELECT count(*)::int AS count FROM t")).rows[0]?.count).toBe(3_000);
});

it("keeps a failed transaction's rollback", async () => {
  await expect(
    pglite.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (-1)");
      await tx.query("SELECT no_such_column FROM t");
    }),
  ).rejects.toThrow(/no_such_column/);
  expect((await pglite.query<{ count: number }>("SELECT count(*)::int AS count FROM t WHERE n = -1")).rows[0]?.count).toBe(0);
});
