import type { MessageInfo } from "~/server/stream/entities";

/**
 * Flightdeck's price table, for steps the runner reports no cost for (opencode reports 0 when
 * its model config has no price). Prices are US dollars per million tokens; reasoning tokens
 * are billed as output. A computed cost is frozen on the message with this table's version, so
 * a later price change never rewrites history. Change a price: add a row and bump the version.
 * To price a model of your own, give it a `cost` in its opencode model config instead: the
 * runner then reports the cost itself.
 */
export const PRICE_TABLE_VERSION = "2026-12-01";

type Price = { input: number; output: number; cacheRead?: number; cacheWrite?: number };

const PRICES: { provider: RegExp; model: RegExp; price: Price }[] = [
  { provider: /^anthropic$/, model: /^claude-opus-4/, price: { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 } },
  { provider: /^anthropic$/, model: /^claude-sonnet-4/, price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } },
  { provider: /^anthropic$/, model: /^claude-haiku-4/, price: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 } },
  { provider: /^openai$/, model: /^gpt-5(-\d|$)/, price: { input: 1.25, output: 10, cacheRead: 0.125 } },
  { provider: /^openai$/, model: /^gpt-4\.1(-\d|$)/, price: { input: 2, output: 8, cacheRead: 0.5 } },
  { provider: /^openai$/, model: /^gpt-4o(-\d|$)/, price: { input: 2.5, output: 10, cacheRead: 1.25 } },
  { provider: /^openai$/, model: /^o3(-\d|$)/, price: { input: 2, output: 8, cacheRead: 0.5 } },
  { provider: /^google$/, model: /^gemini-2\.5-pro/, price: { input: 1.25, output: 10, cacheRead: 0.31 } },
  { provider: /^google$/, model: /^gemini-2\.5-flash/, price: { input: 0.3, output: 2.5, cacheRead: 0.075 } },
];

export type PricedCost = { cost: number; costSource: "reported" | "computed" | "unknown"; priceVersion: string | null };

/** The cost of one message as stored: the runner's figure, else the table's, else unknown. */
export function priceMessage(message: Pick<MessageInfo, "role" | "providerId" | "modelId" | "tokens" | "cost">): PricedCost {
  const reported = message.cost ?? 0;
  const tokens = message.tokens;
  const used = tokens ? tokens.input + tokens.output + tokens.reasoning + tokens.cacheRead + tokens.cacheWrite : 0;
  if (reported > 0 || message.role !== "assistant" || used === 0) return { cost: reported, costSource: "reported", priceVersion: null };
  const row = PRICES.find((p) => p.provider.test(message.providerId ?? "") && p.model.test(message.modelId ?? ""));
  if (!row || !tokens) return { cost: 0, costSource: "unknown", priceVersion: null };
  const { input, output, cacheRead = input, cacheWrite = input } = row.price;
  const cost =
    (tokens.input * input + (tokens.output + tokens.reasoning) * output + tokens.cacheRead * cacheRead + tokens.cacheWrite * cacheWrite) /
    1_000_000;
  return { cost, costSource: "computed", priceVersion: PRICE_TABLE_VERSION };
}
