import { describe, expect, it } from "vitest";
import type { PrismaClient } from "~/server/generated/prisma/client";
import type { Bridges } from "./handle";
import { sessionStored } from "./session-stored";

describe("sessionStored", () => {
  it("waits until the session's runner has stored what it published (viewers are told first)", async () => {
    let release = () => {};
    const asked: string[] = [];
    const live = {
      stored: (runnerId: string) => (asked.push(runnerId), new Promise<void>((resolve) => (release = resolve))),
    } as unknown as Bridges;
    const db = { session: { findUnique: async () => ({ runnerId: "runner-1" }) } } as unknown as PrismaClient;
    let done = false;
    const waiting = sessionStored({ db, live }, "root-1").then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(asked).toEqual(["runner-1"]);
    expect(done).toBe(false);
    release();
    await waiting;
    expect(done).toBe(true);
  });
});
