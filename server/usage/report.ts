import type { PrismaClient } from "~/server/generated/prisma/client";
import { decodeText } from "~/server/store/lossless-text";
import { tokenTotal, type Tokens } from "~/server/stream/entities";
import { bucketsOf, resolveRange, usageInput, type UsageInput, type UsageRange } from "./range";
import { reportRows, treeRows, type Dimension, type GroupRow, type Sums, type TreeRow } from "./rows";

export type UsageTotals = { steps: number; unpricedSteps: number; tokens: Tokens; cost: number };

/** One runner, model, agent or person: totals over the range, and cost and tokens per bucket. */
export type UsageGroup = UsageTotals & {
  /** Runner or user id, agent name, "provider/model"; null when the steps name none. */
  key: string | null;
  label: string;
  /** Aligned with `UsageReport.buckets`. */
  perBucket: { cost: number[]; tokens: number[] };
};

export type UsagePoint = UsageTotals & { bucket: string };

export type UsageTree = UsageTotals & {
  rootId: string;
  title: string;
  runner: { id: string; name: string } | null;
  startedBy: string | null;
  firstDay: string;
  lastDay: string;
  deleted: boolean;
};

export type UsageReport = {
  range: UsageRange;
  /** Every bucket the range touches, first days (YYYY-MM-DD). */
  buckets: string[];
  totals: UsageTotals;
  /** One point per bucket, zeros where nothing ran. */
  series: UsagePoint[];
  /** Dearest first. */
  byRunner: UsageGroup[];
  byModel: UsageGroup[];
  byAgent: UsageGroup[];
  byPerson: UsageGroup[];
  topTrees: UsageTree[];
};

export const TOP_TREES = 10;

const ZERO: Sums = { steps: 0, unpricedSteps: 0, input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, cost: 0 };

function totalsOf(sums: Sums): UsageTotals {
  const { steps, unpricedSteps, input, output, reasoning, cacheRead, cacheWrite, cost } = sums;
  return { steps, unpricedSteps, tokens: { input, output, reasoning, cacheRead, cacheWrite }, cost };
}

/** The Usage page: totals, the time series, the four breakdowns and the dearest trees. */
export async function usageReport(db: PrismaClient, input: UsageInput, now = new Date()): Promise<UsageReport> {
  const range = resolveRange(usageInput.parse(input), now);
  const { groups, trees } = await reportRows(db, range, TOP_TREES);
  const buckets = bucketsOf(range);
  const of = (dimension: Dimension) => groups.filter((g) => g.dimension === dimension);
  const overall = of("total").find((g) => g.bucket === null) ?? ZERO;
  const perBucket = new Map(of("total").flatMap((g) => (g.bucket === null ? [] : [[g.bucket, g] as const])));
  const labels = await labelsOf(db, groups);
  const breakdown = (dimension: Exclude<Dimension, "total">) => groupsOf(of(dimension), buckets, (row) => labels(dimension, row));
  return {
    range,
    buckets,
    totals: totalsOf(overall),
    series: buckets.map((bucket) => ({ bucket, ...totalsOf(perBucket.get(bucket) ?? ZERO) })),
    byRunner: breakdown("runner"),
    byModel: breakdown("model"),
    byAgent: breakdown("agent"),
    byPerson: breakdown("person"),
    topTrees: await describeTrees(db, trees),
  };
}

/** Every tree of the range with its totals, dearest first (the CSV export). */
export async function usageTrees(db: PrismaClient, input: UsageInput, now = new Date()): Promise<{ range: UsageRange; trees: UsageTree[] }> {
  const range = resolveRange(usageInput.parse(input), now);
  return { range, trees: await describeTrees(db, await treeRows(db, range)) };
}

function groupsOf(rows: GroupRow[], buckets: string[], label: (row: GroupRow) => { key: string | null; label: string }): UsageGroup[] {
  const byKey = new Map<string, UsageGroup>();
  const index = new Map(buckets.map((bucket, i) => [bucket, i]));
  // Whole-range rows first, so each group exists before its buckets are filled in.
  for (const row of [...rows].sort((a, b) => Number(a.bucket !== null) - Number(b.bucket !== null))) {
    const id = JSON.stringify([row.key, row.key2]);
    if (row.bucket === null) {
      const zeros = () => buckets.map(() => 0);
      byKey.set(id, { ...label(row), ...totalsOf(row), perBucket: { cost: zeros(), tokens: zeros() } });
      continue;
    }
    const group = byKey.get(id);
    const at = index.get(row.bucket);
    if (!group || at === undefined) continue;
    group.perBucket.cost[at] = row.cost;
    group.perBucket.tokens[at] = tokenTotal(totalsOf(row).tokens);
  }
  return [...byKey.values()].sort((a, b) => b.cost - a.cost || tokenTotal(b.tokens) - tokenTotal(a.tokens) || a.label.localeCompare(b.label));
}

type Labeller = (dimension: Exclude<Dimension, "total">, row: GroupRow) => { key: string | null; label: string };

// Runner and person keys are ids: their names are read once for all groups.
async function labelsOf(db: PrismaClient, groups: GroupRow[]): Promise<Labeller> {
  const ids = (dimension: Dimension) => [...new Set(groups.filter((g) => g.dimension === dimension && g.key !== null).map((g) => g.key!))];
  const [runners, people] = await Promise.all([
    db.runner.findMany({ where: { id: { in: ids("runner") } }, select: { id: true, name: true } }),
    db.user.findMany({ where: { id: { in: ids("person") } }, select: { id: true, name: true } }),
  ]);
  const runnerName = new Map(runners.map((r) => [r.id, r.name]));
  const personName = new Map(people.map((u) => [u.id, u.name]));
  const text = (value: string | null) => (value === null ? null : decodeText(value));
  return (dimension, row) => {
    switch (dimension) {
      case "runner":
        return { key: row.key, label: (row.key && runnerName.get(row.key)) ?? "Unknown runner" };
      case "person":
        return { key: row.key, label: row.key === null ? "Started outside Flightdeck" : (personName.get(row.key) ?? "Former member") };
      case "agent":
        return { key: text(row.key), label: text(row.key) ?? "No agent" };
      case "model": {
        const [provider, model] = [text(row.key), text(row.key2)];
        const name = provider === null && model === null ? null : `${provider ?? "?"}/${model ?? "?"}`;
        return { key: name, label: name ?? "Unknown model" };
      }
    }
  };
}

async function describeTrees(db: PrismaClient, rows: TreeRow[]): Promise<UsageTree[]> {
  const roots = await db.session.findMany({
    where: { id: { in: rows.map((r) => r.rootId) } },
    select: { id: true, title: true, deletedAt: true, runner: { select: { id: true, name: true } }, startedBy: { select: { name: true } } },
  });
  const byId = new Map(roots.map((r) => [r.id, r]));
  return rows.map((row) => {
    const root = byId.get(row.rootId);
    return {
      rootId: row.rootId,
      title: root?.title ?? "",
      runner: root?.runner ?? null,
      startedBy: root?.startedBy?.name ?? null,
      firstDay: row.firstDay,
      lastDay: row.lastDay,
      deleted: Boolean(root?.deletedAt),
      ...totalsOf(row),
    };
  });
}
