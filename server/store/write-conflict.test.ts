import { describe, expect, it } from "vitest";
import { retryOnWriteConflict } from "./write-conflict";

const conflict = Object.assign(new Error("Transaction failed due to a write conflict or a deadlock"), { code: "P2034" });

describe("retryOnWriteConflict", () => {
  it("runs a transaction that lost a deadlock again, and returns its result", async () => {
    let runs = 0;
    const result = await retryOnWriteConflict(async () => {
      runs++;
      if (runs < 3) throw conflict;
      return "stored";
    });
    expect([result, runs]).toEqual(["stored", 3]);
  });

  it("gives up after the last attempt, and never repeats any other failure", async () => {
    let runs = 0;
    await expect(retryOnWriteConflict(async () => { runs++; throw conflict; }, 2)).rejects.toBe(conflict);
    expect(runs).toBe(2);
    const other = new Error("unique violation");
    runs = 0;
    await expect(retryOnWriteConflict(async () => { runs++; throw other; })).rejects.toBe(other);
    expect(runs).toBe(1);
  });
});
