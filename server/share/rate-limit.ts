import type { PrismaClient } from "~/server/generated/prisma/client";

// Bad share tokens are counted per client address in the database (better-auth's RateLimit
// table, under its own key prefix), so every instance shares the count. Past the limit, every
// token from that address is refused until the window ends, valid ones included: guessing
// cannot go on by mixing in a known link.

export const BAD_TOKENS_PER_WINDOW = 20;
export const WINDOW_MS = 60_000;

const keyOf = (address: string) => `share-token:${address}`;

export async function isLimited(db: PrismaClient, address: string, now = Date.now()): Promise<boolean> {
  const row = await db.rateLimit.findUnique({ where: { key: keyOf(address) }, select: { count: true, lastRequest: true } });
  return !!row && now - Number(row.lastRequest) < WINDOW_MS && row.count >= BAD_TOKENS_PER_WINDOW;
}

/** Counts one bad token; a window starts at the first bad token after the last one ended. */
export async function countBadToken(db: PrismaClient, address: string, now = Date.now()): Promise<void> {
  const key = keyOf(address);
  const row = await db.rateLimit.findUnique({ where: { key }, select: { lastRequest: true } });
  if (!row || now - Number(row.lastRequest) >= WINDOW_MS) {
    await db.rateLimit.upsert({ where: { key }, create: { key, count: 1, lastRequest: BigInt(now) }, update: { count: 1, lastRequest: BigInt(now) } });
  } else {
    await db.rateLimit.update({ where: { key }, data: { count: { increment: 1 } } });
  }
}
