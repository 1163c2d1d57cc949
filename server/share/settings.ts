import type { PrismaClient } from "~/server/generated/prisma/client";

// The team's sharing settings live in one row (id 1); no row means the defaults: sharing on, no
// extra redaction patterns.

export async function shareSettings(db: PrismaClient): Promise<{ enabled: boolean; patterns: string[] }> {
  const row = await db.shareSettings.findUnique({ where: { id: 1 }, select: { enabled: true, patterns: true } });
  return row ?? { enabled: true, patterns: [] };
}

export async function sharingEnabled(db: PrismaClient): Promise<boolean> {
  return (await shareSettings(db)).enabled;
}

export async function updateShareSettings(db: PrismaClient, change: { enabled?: boolean; patterns?: string[] }, byUserId: string) {
  return db.shareSettings.upsert({
    where: { id: 1 },
    create: { id: 1, ...change, updatedById: byUserId },
    update: { ...change, updatedById: byUserId },
    select: { enabled: true, patterns: true },
  });
}
