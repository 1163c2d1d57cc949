import { Prisma, type PrismaClient } from "~/server/generated/prisma/client";

// Retention: which archived trees are old enough to purge, and the purge itself.
//
// A tree is a candidate when it exists only as an archive (soft-deleted, or its runner is
// stopped, e.g. an imported runtime) and its age (last activity or deletion, whichever is
// later) exceeds the policy of its runner (Runner.retentionDays) or the global one. Trees
// with an active share link are kept unless the policy says otherwise. Sessions still live on
// a serving runner are never purged by the background job: delete them first.

export type RetentionPolicy = {
  /** Global retention in days; 0 or undefined keeps archives forever. */
  days?: number;
  /** Purge trees with an active share link too (default: keep them). */
  purgeShared?: boolean;
};

export type RetentionCandidate = {
  id: string;
  lastActivityAt: Date;
  deletedAt: Date | null;
  runner: { retentionDays: number | null; status: string };
  /** Active share links on any session of the tree. */
  activeShares: number;
};

export type RetentionDecision = { id: string; purge: boolean; reason: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Pure: the decision for one archived root. */
export function decideRetention(candidate: RetentionCandidate, policy: RetentionPolicy, now: Date): RetentionDecision {
  const days = candidate.runner.retentionDays ?? policy.days ?? 0;
  const { id } = candidate;
  if (!days || days <= 0) return { id, purge: false, reason: "kept forever by policy" };
  const live = candidate.deletedAt === null && candidate.runner.status !== "stopped";
  if (live) return { id, purge: false, reason: "still live on its runner" };
  const age = now.getTime() - Math.max(candidate.lastActivityAt.getTime(), candidate.deletedAt?.getTime() ?? 0);
  if (age < days * DAY_MS) return { id, purge: false, reason: `younger than ${days} days` };
  if (candidate.activeShares > 0 && !policy.purgeShared) return { id, purge: false, reason: "has an active share link" };
  return { id, purge: true, reason: `older than ${days} days` };
}

/** Roots worth deciding on: not purged, possibly old enough under the shortest policy. */
export async function retentionCandidates(db: PrismaClient, policy: RetentionPolicy, now: Date): Promise<RetentionCandidate[]> {
  const runnerDays = await db.runner.findMany({ where: { retentionDays: { gt: 0 } }, select: { retentionDays: true } });
  const shortest = Math.min(...[policy.days ?? 0, ...runnerDays.map((r) => r.retentionDays ?? 0)].filter((d) => d > 0));
  if (!Number.isFinite(shortest)) return [];
  const cutoff = new Date(now.getTime() - shortest * DAY_MS);
  const roots = await db.session.findMany({
    where: {
      purgedAt: null,
      lastActivityAt: { lt: cutoff },
      parents: { none: { kind: "subagent" } },
      OR: [{ deletedAt: { not: null } }, { runner: { status: "stopped" } }],
    },
    select: { id: true, rootId: true, lastActivityAt: true, deletedAt: true, runner: { select: { retentionDays: true, status: true } } },
  });
  const trees = roots.filter((r) => (r.rootId ?? r.id) === r.id);
  const shares = await db.shareLink.groupBy({
    by: ["sessionId"],
    where: {
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      session: { rootId: { in: trees.map((t) => t.id) } },
    },
    _count: { _all: true },
  });
  const sessionRoots = await db.session.findMany({ where: { id: { in: shares.map((s) => s.sessionId) } }, select: { id: true, rootId: true } });
  const rootOf = new Map(sessionRoots.map((s) => [s.id, s.rootId ?? s.id]));
  const activeShares = new Map<string, number>();
  for (const share of shares) {
    const root = rootOf.get(share.sessionId);
    if (root) activeShares.set(root, (activeShares.get(root) ?? 0) + share._count._all);
  }
  return trees.map((t) => ({ id: t.id, lastActivityAt: t.lastActivityAt, deletedAt: t.deletedAt, runner: t.runner, activeShares: activeShares.get(t.id) ?? 0 }));
}

export type RetentionReport = { checked: number; purged: string[]; kept: RetentionDecision[] };

/** The background job: decides on every candidate and purges what the policy says. */
export async function runRetention(db: PrismaClient, policy: RetentionPolicy, now = new Date()): Promise<RetentionReport> {
  const candidates = await retentionCandidates(db, policy, now);
  const decisions = candidates.map((c) => decideRetention(c, policy, now));
  const purged: string[] = [];
  for (const decision of decisions.filter((d) => d.purge)) {
    await purgeTree(db, decision.id, now);
    purged.push(decision.id);
  }
  return { checked: candidates.length, purged, kept: decisions.filter((d) => !d.purge) };
}

/**
 * Removes the content of a whole tree (turns, messages, parts, tool spans, relations,
 * boundary rows) in one transaction and leaves tombstones: the session rows stay, marked deleted
 * and purged, so their ids answer 410 instead of 404. Share links to them are revoked.
 */
export async function purgeTree(db: PrismaClient, rootId: string, now = new Date()): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const tree = await tx.session.findMany({ where: { rootId }, select: { id: true } });
      const ids = tree.map((s) => s.id);
      if (ids.length === 0) return 0;
      await tx.sessionRelation.deleteMany({ where: { kind: "subagent", OR: [{ parentId: { in: ids } }, { childId: { in: ids } }] } });
      await tx.sessionBoundary.deleteMany({ where: { sessionId: { in: ids } } });
      await tx.turn.deleteMany({ where: { sessionId: { in: ids } } });
      await tx.mount.updateMany({ where: { sessionId: { in: ids } }, data: { finalDiff: Prisma.DbNull } });
      await tx.shareLink.updateMany({ where: { sessionId: { in: ids }, revokedAt: null }, data: { revokedAt: now } });
      await tx.session.updateMany({ where: { id: { in: ids }, deletedAt: null }, data: { deletedAt: now } });
      const purged = await tx.session.updateMany({
        where: { id: { in: ids } },
        data: {
          purgedAt: now,
          title: "",
          agent: null,
          revert: Prisma.DbNull,
          tokensInput: 0,
          tokensOutput: 0,
          tokensReasoning: 0,
          tokensCacheRead: 0,
          tokensCacheWrite: 0,
          cost: 0,
          archiveState: "none",
          archiveError: null,
          lastArchivedAt: null,
        },
      });
      return purged.count;
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
}
