import type { Prisma } from "~/server/generated/prisma/client";
import type { MessageInfo } from "~/server/stream/entities";
import { priceMessage } from "~/server/traces/prices";

const json = (value: unknown) => value as Prisma.InputJsonValue;
const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** A message's columns as stored (its cost priced: `server/traces/prices.ts`), but for its ids and turn. */
export function messageFields(message: MessageInfo) {
  return {
    role: message.role,
    agent: message.agent,
    providerId: message.providerId,
    modelId: message.modelId,
    tokensInput: message.tokens?.input ?? 0,
    tokensOutput: message.tokens?.output ?? 0,
    tokensReasoning: message.tokens?.reasoning ?? 0,
    tokensCacheRead: message.tokens?.cacheRead ?? 0,
    tokensCacheWrite: message.tokens?.cacheWrite ?? 0,
    ...priceMessage(message),
    error: message.error ? json(message.error) : undefined,
    data: json(message.data),
    completedAt: date(message.completedAt),
  };
}
