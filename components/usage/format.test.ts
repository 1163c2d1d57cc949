import { expect, it } from "vitest";
import { costTick, tokensTick } from "./format";

it("labels evenly spaced cost ticks each with its own value", () => {
  const ticks = [0, 0.0045, 0.009, 0.0135, 0.018].map(costTick);
  expect(ticks).toEqual(["$0", "$0.0045", "$0.009", "$0.014", "$0.018"]);
  expect(new Set(ticks).size).toBe(ticks.length);
  expect(costTick(25)).toBe("$25");
});

it("writes every token tick in one notation", () => {
  expect([0, 4_000, 8_000, 12_000, 16_000].map(tokensTick)).toEqual(["0", "4K", "8K", "12K", "16K"]);
  expect(tokensTick(1_500_000)).toBe("1.5M");
});
