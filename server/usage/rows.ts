import { Prisma, type PrismaClient } from "~/server/generated/prisma/client";
import type { UsageRange } from "./range";

/**
 * The usage aggregates, in SQL. Every view starts from `scopedSteps`: the range's assistant
 * messages (the steps that carry tokens and cost) summed per session, day, agent and model in
 * one pass over Message's createdAt index, then tagged with the session's runner, the tree's
 * root and the person who started the root. Sub-agent steps thus count in their tree and for
 * the root's starter. That pre-aggregate is small (a few rows per session), so what follows
 * (the breakdowns, the trees) costs little, whatever the number of messages.
 *
 * Rows that exist are counted: deleted trees, and the reverted turns and sub-agents the archive
 * keeps (their tokens were spent). Raw SQL is not decoded by the lossless extension: text keys
 * are decoded by the caller.
 */

export type Sums = {
  steps: number;
  /** Steps whose cost is unknown (no runner figure, no price table row): never counted as $0. */
  unpricedSteps: number;
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
  cost: number;
};

export const dimensions = ["total", "runner", "model", "agent", "person"] as const;
export type Dimension = (typeof dimensions)[number];

/** One group: a dimension's key (the model's is provider and model), over the range or one bucket. */
export type GroupRow = Sums & { dimension: Dimension; key: string | null; key2: string | null; bucket: string | null };

export type TreeRow = Sums & { rootId: string; firstDay: string; lastDay: string };

const COLUMNS = Prisma.sql`"steps", "unpricedSteps", "input", "output", "reasoning", "cacheRead", "cacheWrite", "cost"`;
const SUMS = Prisma.sql`
  sum("steps")::int AS "steps", sum("unpricedSteps")::int AS "unpricedSteps",
  sum("input")::float8 AS "input", sum("output")::float8 AS "output", sum("reasoning")::float8 AS "reasoning",
  sum("cacheRead")::float8 AS "cacheRead", sum("cacheWrite")::float8 AS "cacheWrite", sum("cost")::float8 AS "cost"`;

function scopedSteps(range: UsageRange): Prisma.Sql {
  const runner = range.runnerId === null ? Prisma.empty : Prisma.sql`WHERE s."runnerId" = ${range.runnerId}`;
  return Prisma.sql`
    steps AS (
      SELECT m."sessionId", m."createdAt"::date AS "day", m."agent", m."providerId", m."modelId",
        count(*) AS "steps", count(*) FILTER (WHERE m."costSource" = 'unknown') AS "unpricedSteps",
        sum(m."tokensInput") AS "input", sum(m."tokensOutput") AS "output", sum(m."tokensReasoning") AS "reasoning",
        sum(m."tokensCacheRead") AS "cacheRead", sum(m."tokensCacheWrite") AS "cacheWrite", sum(m."cost") AS "cost"
      FROM "Message" m
      WHERE m."createdAt" >= ${range.from}::date AND m."createdAt" < ${range.to}::date + 1 AND m."role" = 'assistant'
      GROUP BY 1, 2, 3, 4, 5
    ),
    scoped AS (
      SELECT st.*, s."runnerId", COALESCE(s."rootId", s."id") AS "rootId", root."startedById"
      FROM steps st
      JOIN "Session" s ON s."id" = st."sessionId"
      LEFT JOIN "Session" root ON root."id" = COALESCE(s."rootId", s."id")
      ${runner}
    )`;
}

/**
 * Everything the page shows, in one statement over one pre-aggregate: each scoped row counted
 * once per dimension (its key there), over the whole range and per bucket (`bucket` null on
 * whole-range rows), and the `topTrees` dearest trees (dimension "tree", key the root's id).
 */
export async function reportRows(db: PrismaClient, range: UsageRange, topTrees: number): Promise<{ groups: GroupRow[]; trees: TreeRow[] }> {
  type Row = Omit<GroupRow, "dimension"> & { dimension: Dimension | "tree"; firstDay: string | null; lastDay: string | null };
  const rows = await db.$queryRaw<Row[]>`
    WITH ${scopedSteps(range)},
    groups AS (
      SELECT d."dimension", d."key", d."key2", to_char(sc."bucket", 'YYYY-MM-DD') AS "bucket", NULL AS "firstDay", NULL AS "lastDay", ${SUMS}
      FROM (SELECT *, date_trunc(${range.bucket}, "day"::timestamp) AS "bucket" FROM scoped) sc
      CROSS JOIN LATERAL (VALUES
        ('total', NULL, NULL),
        ('runner', sc."runnerId", NULL),
        ('model', sc."providerId", sc."modelId"),
        ('agent', sc."agent", NULL),
        ('person', sc."startedById", NULL)
      ) AS d("dimension", "key", "key2")
      GROUP BY GROUPING SETS ((d."dimension", d."key", d."key2"), (d."dimension", d."key", d."key2", sc."bucket"))
    ),
    trees AS (${treesOf(topTrees)})
    SELECT * FROM groups UNION ALL SELECT 'tree', "rootId", NULL, NULL, "firstDay", "lastDay", ${COLUMNS} FROM trees`;
  const groups: GroupRow[] = [];
  const trees: TreeRow[] = [];
  for (const { dimension, key, key2, bucket, firstDay, lastDay, ...sums } of rows) {
    if (dimension === "tree") trees.push({ ...sums, rootId: key!, firstDay: firstDay!, lastDay: lastDay! });
    else groups.push({ ...sums, dimension, key, key2, bucket });
  }
  return { groups, trees };
}

/** Every tree of the range with its totals, dearest first (the CSV export). */
export async function treeRows(db: PrismaClient, range: UsageRange): Promise<TreeRow[]> {
  return db.$queryRaw<TreeRow[]>`WITH ${scopedSteps(range)} ${treesOf(null)}`;
}

// The trees of `scoped`, dearest first (then most tokens).
function treesOf(limit: number | null): Prisma.Sql {
  return Prisma.sql`
    SELECT "rootId", to_char(min("day"), 'YYYY-MM-DD') AS "firstDay", to_char(max("day"), 'YYYY-MM-DD') AS "lastDay", ${SUMS}
    FROM scoped
    GROUP BY "rootId"
    ORDER BY "cost" DESC, sum("input" + "output" + "reasoning" + "cacheRead" + "cacheWrite") DESC, "rootId"
    ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`;
}
