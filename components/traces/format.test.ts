import { describe, expect, it } from "vitest";
import { spanCost, spanDuration, totalCost } from "./format";

describe("trace money and time", () => {
  it("never shows an unknown price as $0", () => {
    expect(spanCost(null)).toBe("unknown");
    expect(spanCost(0)).toBe("$0");
    expect(totalCost({ cost: 0.1234, unpricedSteps: 0, steps: 4 })).toBe("$0.12");
    expect(totalCost({ cost: 0.12, unpricedSteps: 3, steps: 5 })).toBe("$0.12 + 3 steps unpriced");
    expect(totalCost({ cost: 0, unpricedSteps: 1, steps: 1 })).toBe("unknown (1 step unpriced)");
  });

  it("says a running span's duration is so far", () => {
    expect(spanDuration({ startMs: 0, endMs: 1500 }, 0)).toBe("1.5 s");
    expect(spanDuration({ startMs: 0, endMs: null }, 300)).toBe("300 ms so far");
  });
});
