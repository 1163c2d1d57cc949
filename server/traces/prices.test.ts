import { describe, expect, it } from "vitest";
import { PRICE_TABLE_VERSION, priceMessage } from "./prices";

const tokens = { input: 1_000_000, output: 100_000, reasoning: 100_000, cacheRead: 1_000_000, cacheWrite: 0 };

describe("the cost of a step", () => {
  it("is the runner's when it reports one", () => {
    expect(priceMessage({ role: "assistant", providerId: "anthropic", modelId: "claude-sonnet-4-5", tokens, cost: 0.42 })).toEqual({
      cost: 0.42,
      costSource: "reported",
      priceVersion: null,
    });
  });

  it("is computed from the price table, with its version, when the runner reports none", () => {
    // 1M input at $3, 200k output+reasoning at $15, 1M cache reads at $0.30.
    expect(priceMessage({ role: "assistant", providerId: "anthropic", modelId: "claude-sonnet-4-5", tokens, cost: 0 })).toEqual({
      cost: 3 + 3 + 0.3,
      costSource: "computed",
      priceVersion: PRICE_TABLE_VERSION,
    });
  });

  it("is unknown, not $0, for a model nobody priced", () => {
    expect(priceMessage({ role: "assistant", providerId: "local", modelId: "my-llama", tokens, cost: 0 })).toMatchObject({ costSource: "unknown" });
  });

  it("is a reported zero when nothing was used (user messages, empty steps)", () => {
    expect(priceMessage({ role: "user", tokens: undefined, cost: undefined })).toMatchObject({ cost: 0, costSource: "reported" });
    expect(priceMessage({ role: "assistant", providerId: "local", modelId: "x", tokens: { ...tokens, input: 0, output: 0, reasoning: 0, cacheRead: 0 }, cost: 0 })).toMatchObject({ costSource: "reported" });
  });
});
