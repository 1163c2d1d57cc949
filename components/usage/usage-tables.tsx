import { AppLink } from "~/components/layout/app-link";
import type { ReactNode } from "react";
import { formatTokens } from "~/components/session/format";
import { tokenBreakdown, tokenTotal, totalCost } from "~/components/traces/format";
import type { Bucket } from "~/server/usage/range";
import type { UsageGroup, UsagePoint, UsageTotals, UsageTree } from "~/server/usage/report";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { statusLabel } from "~/components/session/status";
import { bucketName, dayName, TOKEN_KINDS } from "./format";

// The numbers of the Usage page as tables: what the charts draw, readable without them (and
// without JavaScript). Labels are agent and runner output: rendered as text, never as HTML.

const th = "px-3 py-2 font-medium";
const num = "px-3 py-2 text-right tabular-nums";

export function TotalsStrip({ totals }: { totals: UsageTotals }) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-8" data-testid="usage-totals">
      <Stat label="Cost" testId="usage-total-cost" wide>
        {totalCost(totals)}
      </Stat>
      <Stat label="Tokens" testId="usage-total-tokens">
        <span title={tokenBreakdown(totals.tokens)}>{formatTokens(tokenTotal(totals.tokens))}</span>
      </Stat>
      {TOKEN_KINDS.map((kind) => (
        <Stat key={kind.key} label={kind.label} testId={`usage-total-${kind.key}`}>
          {formatTokens(totals.tokens[kind.key])}
        </Stat>
      ))}
      <Stat label="Model steps" testId="usage-total-steps">
        {totals.steps.toLocaleString("en-US")}
      </Stat>
    </dl>
  );
}

function Stat({ label, testId, wide, children }: { label: string; testId: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`rounded-lg border border-slate-200 bg-white px-3 py-2 ${wide ? "col-span-2 sm:col-span-1" : ""}`}>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function TokenCells({ totals }: { totals: UsageTotals }) {
  return (
    <>
      {TOKEN_KINDS.map((kind) => (
        <td key={kind.key} className={num}>
          {formatTokens(totals.tokens[kind.key])}
        </td>
      ))}
      <td className={num}>{totalCost(totals)}</td>
    </>
  );
}

function TokenHeaders() {
  return (
    <>
      {TOKEN_KINDS.map((kind) => (
        <th key={kind.key} className={`${th} text-right`}>
          {kind.label}
        </th>
      ))}
      <th className={`${th} text-right`}>Cost</th>
    </>
  );
}

function Table({ caption, testId, head, children }: { caption: string; testId: string; head: ReactNode; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>{head}</tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

/** One row per bucket (what the time chart draws). */
export function SeriesTable({ series, bucket }: { series: UsagePoint[]; bucket: Bucket }) {
  return (
    <Table
      caption={`Tokens and cost per ${bucket}`}
      testId="usage-series-table"
      head={
        <>
          <th className={th}>{bucket === "week" ? "Week" : "Day"}</th>
          <th className={`${th} text-right`}>Steps</th>
          <TokenHeaders />
        </>
      }
    >
      {series.map((p) => (
        <tr key={p.bucket} data-bucket={p.bucket}>
          <td className="px-3 py-2 whitespace-nowrap">{bucketName(p.bucket, bucket)}</td>
          <td className={num}>{p.steps.toLocaleString("en-US")}</td>
          <TokenCells totals={p} />
        </tr>
      ))}
    </Table>
  );
}

/** A breakdown's groups, dearest first; `href` makes a group a link (a runner filters the page). */
export function GroupTable({ name, groups, href }: { name: string; groups: UsageGroup[]; href?: (group: UsageGroup) => string | null }) {
  if (groups.length === 0) return <p className="text-sm text-slate-500">Nothing ran in this range.</p>;
  return (
    <Table
      caption={`Tokens and cost by ${name.toLowerCase()}`}
      testId={`usage-table-${name.toLowerCase()}`}
      head={
        <>
          <th className={th}>{name}</th>
          <th className={`${th} text-right`}>Steps</th>
          <TokenHeaders />
        </>
      }
    >
      {groups.map((g, i) => {
        const link = href?.(g);
        const label = markUnrepresentable(g.label);
        return (
          // By position: "provider/model" labels of two different pairs can read the same.
          <tr key={i} data-testid="usage-group-row">
            <td className="max-w-64 truncate px-3 py-2" title={label}>
              {link ? (
                <AppLink href={link} className="text-sky-700 hover:underline">
                  {label}
                </AppLink>
              ) : (
                <span className={g.key === null ? "text-slate-500 italic" : ""}>{label}</span>
              )}
            </td>
            <td className={num}>{g.steps.toLocaleString("en-US")}</td>
            <TokenCells totals={g} />
          </tr>
        );
      })}
    </Table>
  );
}

/** The dearest trees, each linking to its root session (sub-agents are counted in their tree). */
export function TopTrees({ trees }: { trees: UsageTree[] }) {
  if (trees.length === 0) return <p className="text-sm text-slate-500">No session ran in this range.</p>;
  return (
    <Table
      caption="The most expensive session trees"
      testId="usage-top-trees"
      head={
        <>
          <th className={th}>Session tree</th>
          <th className={th}>Runner</th>
          <th className={th}>Started by</th>
          <th className={th}>Days</th>
          <th className={`${th} text-right`}>Steps</th>
          <th className={`${th} text-right`}>Tokens</th>
          <th className={`${th} text-right`}>Cost</th>
        </>
      }
    >
      {trees.map((t) => (
        <tr key={t.rootId} data-testid="usage-tree-row" data-root-id={t.rootId}>
          <td className="max-w-72 px-3 py-2">
            <AppLink href={`/sessions/${t.rootId}`} className="block truncate font-medium text-slate-900 hover:text-sky-700 hover:underline">
              {markUnrepresentable(t.title) || "Untitled session"}
            </AppLink>
            {t.deleted && <span className="text-xs text-slate-500">{statusLabel.gone.toLowerCase()}</span>}
          </td>
          <td className="px-3 py-2">{t.runner ? markUnrepresentable(t.runner.name) : "—"}</td>
          <td className="px-3 py-2">{t.startedBy === null ? <span className="text-slate-500">outside Flightdeck</span> : markUnrepresentable(t.startedBy)}</td>
          <td className="px-3 py-2 text-xs whitespace-nowrap text-slate-600">
            {t.firstDay === t.lastDay ? dayName(t.firstDay) : `${dayName(t.firstDay)} – ${dayName(t.lastDay)}`}
          </td>
          <td className={num}>{t.steps.toLocaleString("en-US")}</td>
          <td className={num} title={tokenBreakdown(t.tokens)}>
            {formatTokens(tokenTotal(t.tokens))}
          </td>
          <td className={num}>{totalCost(t)}</td>
        </tr>
      ))}
    </Table>
  );
}
