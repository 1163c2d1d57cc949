"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatCost } from "~/components/session/format";
import type { Bucket } from "~/server/usage/range";
import type { UsageGroup } from "~/server/usage/report";
import { axisTick, legendText, tooltipStyle } from "./chart-style";
import { bucketName, bucketTick, costTick, GROUP_COLORS, OTHER_COLOR } from "./format";

/** The groups drawn one by one; the others are summed into "Other". */
export const SHOWN_GROUPS = GROUP_COLORS.length - 1;

/** Cost per bucket, stacked by group (the dearest ones; the rest as "Other"). */
export function GroupChart({ title, groups, buckets, bucket }: { title: string; groups: UsageGroup[]; buckets: string[]; bucket: Bucket }) {
  const shown = groups.length <= SHOWN_GROUPS + 1 ? groups : groups.slice(0, SHOWN_GROUPS);
  const rest = groups.slice(shown.length);
  // Series are keyed by position: labels are free text and may repeat.
  const series = [
    ...shown.map((g, i) => ({ name: g.label, color: GROUP_COLORS[i]!, cost: g.perBucket.cost })),
    ...(rest.length > 0 ? [{ name: `Other (${rest.length})`, color: OTHER_COLOR, cost: buckets.map((_, at) => rest.reduce((sum, g) => sum + g.perBucket.cost[at]!, 0)) }] : []),
  ];
  const data = buckets.map((b, at) => Object.fromEntries([["bucket", b], ...series.map((s, i) => [`s${i}`, s.cost[at]!])]));
  return (
    <figure className="text-slate-600" data-testid="usage-group-chart" aria-label={`Cost per ${bucket} ${title}; the table below has the totals`}>
      <BarChart data={data} responsive style={{ width: "100%", height: 220 }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" tickFormatter={bucketTick} fontSize={12} minTickGap={12} tick={axisTick} />
        <YAxis tickFormatter={costTick} fontSize={12} tick={axisTick} width={64} />
        <Tooltip {...tooltipStyle} labelFormatter={(label) => bucketName(String(label), bucket)} formatter={(value) => formatCost(Number(value))} />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
        {series.map((s, i) => (
          <Bar key={i} dataKey={`s${i}`} name={s.name} stackId="cost" fill={s.color} isAnimationActive={false} />
        ))}
      </BarChart>
    </figure>
  );
}
