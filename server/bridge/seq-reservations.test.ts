import { describe, expect, it } from "vitest";
import { SeqReservations } from "./seq-reservations";

function tracked(block = 100) {
  const writes: number[] = [];
  let release: (() => void)[] = [];
  const reservations = new SeqReservations(
    (_root, through) => new Promise<void>((resolve) => release.push(() => (writes.push(through), resolve()))),
    block,
  );
  const settle = async () => {
    const pending = release;
    release = [];
    for (const done of pending) done();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { reservations, writes, settle };
}

describe("SeqReservations", () => {
  it("holds the first seq of an unreserved root until its block is written", async () => {
    const { reservations, writes, settle } = tracked();
    let covered = false;
    void reservations.cover("root", 1)!.then(() => (covered = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(covered).toBe(false);
    await settle();
    expect(covered).toBe(true);
    expect(writes).toEqual([101]);
  });

  it("reserves the next block half a block ahead, so a steady stream never waits", async () => {
    const { reservations, writes, settle } = tracked();
    reservations.reserved("root", 100);
    for (let seq = 1; seq <= 50; seq++) expect(reservations.cover("root", seq)).toBeUndefined();
    expect(writes).toEqual([]);
    // Past half of the block: still covered, and the next block is on its way.
    expect(reservations.cover("root", 51)).toBeUndefined();
    await settle();
    expect(writes).toEqual([151]);
    for (let seq = 52; seq <= 100; seq++) expect(reservations.cover("root", seq)).toBeUndefined();
    expect(reservations.cover("root", 151)).toBeUndefined();
  });

  it("keeps roots apart", () => {
    const { reservations } = tracked();
    reservations.reserved("a", 100);
    expect(reservations.cover("a", 10)).toBeUndefined();
    expect(reservations.cover("b", 10)).toBeInstanceOf(Promise);
  });

  it("a reservation made ahead that fails (the instance lost the runner) crashes nothing; the next one tries again", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      let fail = true;
      const attempts: number[] = [];
      const reservations = new SeqReservations(async (_root, through) => {
        attempts.push(through);
        if (fail) throw new Error("refused");
      }, 100);
      reservations.reserved("root", 100);
      expect(reservations.cover("root", 60)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      // A seq past the reservation waits on the next attempt and sees its outcome.
      await expect(reservations.cover("root", 101)).rejects.toThrow("refused");
      fail = false;
      await expect(reservations.cover("root", 101)).resolves.toBeUndefined();
      expect(attempts).toEqual([160, 201, 201]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
