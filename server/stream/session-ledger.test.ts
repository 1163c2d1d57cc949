import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SessionLedger } from "./session-ledger";

// Values as translate hands them: JSON objects, the same content possibly with its keys in another order.
const value = fc.oneof(
  fc.constantFrom({ a: 1, b: "x" }, { b: "x", a: 1 }, { a: 2, b: "x" }, { a: 1, b: "y", c: [1, 2] }, { c: [1, 2], b: "y", a: 1 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const calls = fc.array(fc.record({ key: fc.constantFrom("part:1", "part:2", "message:1"), value, invalidate: fc.boolean() }), { maxLength: 40 });

function answers(ledger: SessionLedger, list: { key: string; value: unknown; invalidate: boolean }[]): boolean[] {
  return list.map(({ key, value: v, invalidate }) => {
    if (invalidate) ledger.invalidate(key);
    return ledger.changed(key, v);
  });
}

describe("SessionLedger", () => {
  it("tells an unchanged re-send from a change, whatever its key order", () => {
    for (const oneShot of [false, true]) {
      const ledger = new SessionLedger("ses_1", oneShot);
      expect(ledger.changed("part:1", { a: 1, b: "x" })).toBe(true);
      expect(ledger.changed("part:1", { b: "x", a: 1 })).toBe(false);
      expect(ledger.changed("part:1", { b: "y", a: 1 })).toBe(true);
      expect(ledger.changed("part:2", { b: "y", a: 1 })).toBe(true);
      ledger.invalidate("part:2");
      expect(ledger.changed("part:2", { b: "y", a: 1 })).toBe(true);
    }
  });

  it("one-shot answers exactly as the long-lived ledger does, for any sequence of sends", () => {
    fc.assert(
      fc.property(calls, (list) => {
        expect(answers(new SessionLedger("ses_1", true), list)).toEqual(answers(new SessionLedger("ses_1"), list));
      }),
      { numRuns: 500 },
    );
  });
});
