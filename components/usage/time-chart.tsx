"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatCost, formatTokens } from "~/components/session/format";
import type { Bucket } from "~/server/usage/range";
import type { UsagePoint } from "~/server/usage/report";
import { axisTick, legendText, tooltipStyle } from "./chart-style";
import { bucketName, bucketTick, costTick, COST_COLOR, tokensTick, TOKEN_KINDS } from "./format";

/**
 * Tokens per bucket, stacked by kind (left axis), and the cost (line, right axis). The table
 * next to it in the page says the same in numbers.
 */
export function TimeChart({ series, bucket }: { series: UsagePoint[]; bucket: Bucket }) {
  const data = series.map((p) => ({ bucket: p.bucket, cost: p.cost, ...p.tokens }));
  return (
    <figure className="text-slate-600" data-testid="usage-time-chart" aria-label={`Tokens by kind and cost per ${bucket}; the table below has the numbers`}>
      <ComposedChart data={data} responsive style={{ width: "100%", height: 280 }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" tickFormatter={bucketTick} fontSize={12} minTickGap={12} tick={axisTick} />
        <YAxis yAxisId="tokens" tickFormatter={tokensTick} fontSize={12} tick={axisTick} width={56} />
        <YAxis yAxisId="cost" orientation="right" tickFormatter={costTick} fontSize={12} tick={axisTick} width={64} />
        <Tooltip
          {...tooltipStyle}
          labelFormatter={(label) => bucketName(String(label), bucket)}
          formatter={(value, name) => (name === "Cost" ? formatCost(Number(value)) : formatTokens(Number(value)))}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
        {TOKEN_KINDS.map((kind) => (
          <Bar key={kind.key} yAxisId="tokens" dataKey={kind.key} name={kind.label} stackId="tokens" fill={kind.color} isAnimationActive={false} />
        ))}
        <Line yAxisId="cost" dataKey="cost" name="Cost" stroke={COST_COLOR} strokeWidth={2} dot={series.length <= 31} isAnimationActive={false} />
      </ComposedChart>
    </figure>
  );
}
