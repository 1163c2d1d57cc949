import { describe, expect, it } from "vitest";
import { createHealthProbe } from "./probe";
import { withInstance, type Health } from "./check";

const ok = (latencyMs: number): Health => ({ status: "ok", version: "test", database: { kind: "pglite", ok: true, latencyMs } });

/** A database whose probes answer only when the test says so, like one queued behind 200 queries. */
function slowDatabase() {
  const waiting: ((health: Health) => void)[] = [];
  return {
    probes: () => waiting.length,
    check: () => new Promise<Health>((resolve) => waiting.push(resolve)),
    answer: (health: Health) => waiting.shift()!(health),
  };
}

/** A probe over a slow database that has answered once (2 ms), on a clock the test moves. */
async function answeredOnce(waitMs: number) {
  const clock = { now: 0 };
  const db = slowDatabase();
  const health = createHealthProbe("pglite", db.check, { freshMs: 1_000, staleMs: 15_000, waitMs, now: () => clock.now });
  const first = health();
  db.answer(ok(2));
  expect(await first).toEqual(ok(2));
  return { clock, db, health };
}

describe("health probe", () => {
  it("answers at once from a recent probe while the database is busy, one probe at a time", async () => {
    const { clock, db, health } = await answeredOnce(5_000);

    clock.now = 3_000; // stale enough to refresh: answered from the last probe, a new one runs behind
    expect(await health()).toEqual(ok(2));
    expect(await health()).toEqual(ok(2));
    expect(db.probes()).toBe(1);
    db.answer(ok(4_000));
    await Promise.resolve();
    clock.now = 3_500;
    expect((await health()).database.latencyMs).toBe(4_000);
  });

  it("says degraded when the database has not answered for longer than the stale limit", async () => {
    const { clock, health } = await answeredOnce(20);
    clock.now = 16_000;
    const answer = await health();
    expect(answer.status).toBe("degraded");
    expect(answer.database.error).toMatch(/not answered a probe within 20 ms/);
  });
});

describe("health of one instance among several", () => {
  it("says which instance answered and is degraded while that instance cannot reach Redis", () => {
    const healthy = ok(1);
    expect(withInstance(healthy, { id: "deck-1", redis: "ok", ownedRunners: 2 })).toEqual({ ...healthy, instance: { id: "deck-1", redis: "ok", ownedRunners: 2 } });
    expect(withInstance(healthy, { id: "deck-1", redis: "away", ownedRunners: 0 }).status).toBe("degraded");
  });
});
