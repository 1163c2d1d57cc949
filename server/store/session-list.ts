import { z } from "zod";
import type { Prisma, PrismaClient } from "~/server/generated/prisma/client";
import { rowId } from "~/server/row-id";

// "gone" is not a runner status: it is the runner presence of a session removed from its runner
// whose archive is kept (deletedAt set). Every other value, and no value, lists sessions still on
// their runner ("live"): a deleted session leaves the default list.
export const listStatuses = ["running", "idle", "waiting", "stalled", "error", "gone"] as const;
export type ListStatus = (typeof listStatuses)[number];

export const sessionListInput = z.object({
  status: z.enum(listStatuses).optional(),
  runnerId: rowId("Runner").optional(),
  search: z.string().trim().max(200).optional(),
  cursor: rowId("Session").optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type SessionListInput = z.input<typeof sessionListInput>;

export type TreeTotals = {
  tokensInput: number;
  tokensOutput: number;
  tokensReasoning: number;
  tokensCacheRead: number;
  tokensCacheWrite: number;
  cost: number;
  /** Sessions in the tree other than the root (sub-agents at any depth). */
  subagents: number;
};

/** The roots of session trees: no session spawned them (a fork is a root of its own). */
export const treeRoots = { parents: { none: { kind: "subagent" } } } satisfies Prisma.SessionWhereInput;

function whereOf(input: z.output<typeof sessionListInput>): Prisma.SessionWhereInput {
  const { status } = input;
  return {
    purgedAt: null,
    ...treeRoots,
    ...(status === "gone" ? { deletedAt: { not: null } } : { deletedAt: null, status }),
    runnerId: input.runnerId,
    title: input.search ? { contains: input.search, mode: "insensitive" } : undefined,
  };
}

/**
 * How many session trees each runner has on the dashboard's default list (roots still on their
 * runner; sub-agents count in their tree, as they do in the list), so every page counts alike.
 */
export async function liveTreeCounts(db: PrismaClient): Promise<Map<string, number>> {
  const groups = await db.session.groupBy({ by: ["runnerId"], where: whereOf(sessionListInput.parse({})), _count: { _all: true } });
  return new Map(groups.map((g) => [g.runnerId, g._count._all]));
}

/**
 * Root sessions (sub-agents live inside their root), newest activity first, keyset-paginated,
 * each with the tokens, cost and sub-agent count of its whole tree.
 */
export async function listRootSessions(db: PrismaClient, raw: SessionListInput) {
  const input = sessionListInput.parse(raw);
  const rows = await db.session.findMany({
    where: whereOf(input),
    orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    include: { runner: { select: { id: true, name: true, status: true } }, startedBy: { select: { name: true } } },
  });
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  const totals = await treeTotals(db, page.map((r) => r.id));
  const items = page.map((row) => ({
    ...row,
    displayStatus: (row.deletedAt ? "gone" : row.status) as ListStatus,
    tree: totals.get(row.id) ?? ownTotals(row),
  }));
  return { items, nextCursor: hasMore ? items[items.length - 1]?.id : undefined };
}

/** One aggregate over every session sharing each root (the root itself included). */
async function treeTotals(db: PrismaClient, rootIds: string[]): Promise<Map<string, TreeTotals>> {
  if (rootIds.length === 0) return new Map();
  const groups = await db.session.groupBy({
    by: ["rootId"],
    // Reverted sub-agents no longer count (a root is never reverted).
    where: { rootId: { in: rootIds }, revertedAt: null },
    _sum: { tokensInput: true, tokensOutput: true, tokensReasoning: true, tokensCacheRead: true, tokensCacheWrite: true, cost: true },
    _count: { _all: true },
  });
  return new Map(
    groups.map((g) => [
      g.rootId!,
      {
        tokensInput: g._sum.tokensInput ?? 0,
        tokensOutput: g._sum.tokensOutput ?? 0,
        tokensReasoning: g._sum.tokensReasoning ?? 0,
        tokensCacheRead: g._sum.tokensCacheRead ?? 0,
        tokensCacheWrite: g._sum.tokensCacheWrite ?? 0,
        cost: g._sum.cost ?? 0,
        subagents: Math.max(0, g._count._all - 1),
      },
    ]),
  );
}

// A root row whose rootId was never set (older rows) still reports its own numbers.
function ownTotals(row: Omit<TreeTotals, "subagents">): TreeTotals {
  const { tokensInput, tokensOutput, tokensReasoning, tokensCacheRead, tokensCacheWrite, cost } = row;
  return { tokensInput, tokensOutput, tokensReasoning, tokensCacheRead, tokensCacheWrite, cost, subagents: 0 };
}
