"use client";

import { AppLink } from "~/components/layout/app-link";
import { useState, type ReactNode } from "react";
import { formatDuration, formatPercent, formatTokens } from "~/components/session/format";
import { spanCost, tokenBreakdown, tokenTotal, totalCost } from "./format";
import type { Span, Totals, TraceSummary } from "./types";

const EAGER_SESSIONS = 40;
const PATH_ENDS = 12;

/** A long critical path (sequential calls) is shown by its ends and a count; the waterfall highlights all of it. */
function shownPath(path: readonly string[]): (string | number)[] {
  if (path.length <= PATH_ENDS * 2 + 1) return [...path];
  return [...path.slice(0, PATH_ENDS), path.length - PATH_ENDS * 2, ...path.slice(-PATH_ENDS)];
}

type Props = {
  summary: TraceSummary;
  spanById: ReadonlyMap<string, Span>;
  now: number;
  onSelect: (spanId: string) => void;
  sessionHref: ((sessionId: string) => string) | null;
  highlightCritical: boolean;
  onHighlightCritical: (on: boolean) => void;
  compact?: boolean;
};

/**
 * Where the time and the money went, for the whole tree: totals rolled up over every sub-agent,
 * the time split, the critical path, the slowest calls and dearest steps (each selects its span
 * in the waterfall), then per session, agent, model and tool.
 */
export function TraceSummaryView({ summary, spanById, now, onSelect, sessionHref, highlightCritical, onHighlightCritical, compact = false }: Props) {
  const { tree } = summary;
  // A big tree's tables (one row per session) are built when first opened, not in the first paint.
  const [breakdowns, setBreakdowns] = useState(summary.sessions.length <= EAGER_SESSIONS);
  const duration = summary.startMs === null ? 0 : (summary.running ? now : (summary.endMs ?? summary.startMs)) - summary.startMs;
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="trace-summary" aria-label="Trace summary">
      <dl className="flex flex-wrap gap-x-6 gap-y-2">
        <Stat label="Duration" testId="trace-duration">
          {formatDuration(Math.max(0, duration))}
          {summary.running ? " so far" : ""}
        </Stat>
        <Stat label="Spans">{summary.spanCount.toLocaleString("en-US")}</Stat>
        <Stat label="Sessions">{summary.sessions.length}</Stat>
        <Stat label="Model steps">{tree.steps}</Stat>
        <Stat label="Tool calls">{tree.toolCalls}</Stat>
        <Stat label="Failures" testId="trace-failures">
          <span className={tree.failures ? "text-red-700" : ""}>{tree.failures}</span>
        </Stat>
        <Stat label="Tokens" testId="trace-tokens">
          <span title={tokenBreakdown(tree.tokens)}>{formatTokens(tokenTotal(tree.tokens))}</span>
        </Stat>
        <Stat label="Cost" testId="trace-cost">
          {totalCost(tree)}
        </Stat>
      </dl>
      <p className="text-xs text-slate-600" data-testid="trace-token-breakdown">
        {tokenBreakdown(tree.tokens)}
      </p>
      <TimeSplit time={summary.time} />
      {summary.criticalPath.length > 0 && (
        <div className="text-xs" data-testid="critical-path">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-slate-700">Critical path</span>
            <span className="text-slate-500">
              {summary.criticalPath.length} span{summary.criticalPath.length === 1 ? "" : "s"}, in order
            </span>
            <label className="ml-2 inline-flex items-center gap-1 text-slate-600">
              <input type="checkbox" checked={highlightCritical} onChange={(e) => onHighlightCritical(e.target.checked)} />
              highlight in the waterfall
            </label>
          </div>
          {!compact && (
            <ol className="mt-1 flex flex-wrap items-center gap-1">
              {shownPath(summary.criticalPath).map((id, i) =>
                typeof id === "number" ? (
                  <li key="more" className="text-slate-500" data-testid="critical-path-more">
                    › … {id} more (highlighted in the waterfall)
                  </li>
                ) : (
                  <li key={id} className="inline-flex items-center gap-1">
                    {i > 0 && <span className="text-slate-500">›</span>}
                    <SpanButton span={spanById.get(id)} id={id} onSelect={onSelect} />
                  </li>
                ),
              )}
            </ol>
          )}
        </div>
      )}
      {!compact && (
        <div className="grid gap-3 md:grid-cols-2">
          <SpanList title="Slowest tools" testId="slowest-tools" spans={summary.slowestTools} onSelect={onSelect} value={(s) => formatDuration((s.endMs ?? now) - s.startMs)} />
          <SpanList title="Most expensive steps" testId="expensive-steps" spans={summary.expensiveSteps} onSelect={onSelect} value={(s) => spanCost(s.cost)} />
        </div>
      )}
      <details className="text-xs" data-testid="trace-breakdowns" onToggle={(e) => e.currentTarget.open && setBreakdowns(true)}>
        <summary className="cursor-pointer font-medium text-slate-700">Per session, agent, model and tool</summary>
        {breakdowns ? (
          <div className="mt-2 space-y-3 overflow-x-auto">
            <SessionTable summary={summary} sessionHref={sessionHref} />
            <GroupTable title="By agent" rows={summary.byAgent} />
            <GroupTable title="By model" rows={summary.byModel} />
            <ToolTable summary={summary} />
          </div>
        ) : (
          <p className="mt-2 text-slate-500">{summary.sessions.length} sessions: the tables open with JavaScript on.</p>
        )}
      </details>
    </section>
  );
}

function Stat({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-medium tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function TimeSplit({ time }: { time: TraceSummary["time"] }) {
  const total = time.modelMs + time.toolMs + time.waitingMs;
  if (!total) return null;
  const parts = [
    { label: "model", ms: time.modelMs, tone: "bg-violet-400" },
    { label: "tools", ms: time.toolMs, tone: "bg-sky-500" },
    { label: "waiting on a person", ms: time.waitingMs, tone: "bg-yellow-400" },
  ];
  return (
    <div className="text-xs" data-testid="time-split">
      <div className="flex h-2 overflow-hidden rounded bg-slate-100">
        {parts.map((p) => (p.ms ? <span key={p.label} className={p.tone} style={{ width: `${(p.ms / total) * 100}%` }} /> : null))}
      </div>
      <p className="mt-1 flex flex-wrap gap-x-4 text-slate-600">
        {parts.map((p) => (
          <span key={p.label}>
            {p.label} {formatDuration(p.ms)} ({formatPercent(p.ms / total)})
          </span>
        ))}
      </p>
    </div>
  );
}

function SpanButton({ span, id, onSelect }: { span: Span | undefined; id: string; onSelect: (id: string) => void }) {
  return (
    <button type="button" onClick={() => onSelect(id)} className="rounded bg-fuchsia-50 px-1.5 py-0.5 text-fuchsia-900 hover:bg-fuchsia-100" data-span-id={id}>
      {span ? span.name : "…"}
    </button>
  );
}

function SpanList({ title, testId, spans, onSelect, value }: { title: string; testId: string; spans: Span[]; onSelect: (id: string) => void; value: (s: Span) => string }) {
  return (
    <div className="text-xs" data-testid={testId}>
      <p className="font-medium text-slate-700">{title}</p>
      {spans.length === 0 ? (
        <p className="text-slate-500">None yet.</p>
      ) : (
        <ol className="mt-1 space-y-0.5">
          {spans.map((s) => (
            <li key={s.id}>
              <button type="button" onClick={() => onSelect(s.id)} className="flex w-full items-baseline gap-2 rounded px-1 text-left hover:bg-slate-50" data-span-id={s.id}>
                <span className="font-medium text-sky-800">{s.name}</span>
                <span className="min-w-0 flex-1 truncate text-slate-500">{s.detail ?? s.model ?? ""}</span>
                <span className="tabular-nums">{value(s)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

const th = "py-1 pr-3 font-normal text-slate-500";
const td = "py-1 pr-3 tabular-nums";

function totalsCells(t: Totals) {
  return (
    <>
      <td className={td} title={tokenBreakdown(t.tokens)}>
        {formatTokens(tokenTotal(t.tokens))}
      </td>
      <td className={td}>{formatTokens(t.tokens.cacheRead)} / {formatTokens(t.tokens.cacheWrite)}</td>
      <td className={td}>{totalCost(t)}</td>
      <td className={td}>{t.steps}</td>
      <td className={td}>{t.toolCalls}</td>
      <td className={td}>{t.failures}</td>
    </>
  );
}

const totalsHead = (
  <>
    <th className={th}>Tokens</th>
    <th className={th}>Cache read / write</th>
    <th className={th}>Cost</th>
    <th className={th}>Steps</th>
    <th className={th}>Tool calls</th>
    <th className={th}>Failures</th>
  </>
);

function SessionTable({ summary, sessionHref }: { summary: TraceSummary; sessionHref: ((id: string) => string) | null }) {
  return (
    <table className="w-full text-left" data-testid="trace-sessions">
      <caption className="text-left font-medium text-slate-700">Sessions (own, then with every sub-agent below)</caption>
      <thead>
        <tr>
          <th className={th}>Session</th>
          <th className={th}>Own tokens</th>
          <th className={th}>Own cost</th>
          <th className={th}>Rolled-up tokens</th>
          <th className={th}>Rolled-up cost</th>
        </tr>
      </thead>
      <tbody>
        {summary.sessions.map((s) => {
          const title = s.title || "Untitled session";
          return (
            <tr key={s.sessionId} className="border-t border-slate-100" data-testid="trace-session" data-session-id={s.sessionId} data-depth={s.depth}>
              <td className="py-1 pr-3" style={{ paddingLeft: s.depth * 12 }}>
                {sessionHref ? (
                  <AppLink href={sessionHref(s.sessionId)} className="text-sky-700 hover:underline">
                    {title}
                  </AppLink>
                ) : (
                  title
                )}
                {s.agent && <span className="text-slate-500"> ({s.agent})</span>}
              </td>
              <td className={td}>{formatTokens(tokenTotal(s.own.tokens))}</td>
              <td className={td}>{totalCost(s.own)}</td>
              <td className={td}>{formatTokens(tokenTotal(s.rolledUp.tokens))}</td>
              <td className={td} data-testid="trace-session-rolled-up-cost">
                {totalCost(s.rolledUp)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function GroupTable({ title, rows }: { title: string; rows: (Totals & { key: string })[] }) {
  if (!rows.length) return null;
  return (
    <table className="w-full text-left">
      <caption className="text-left font-medium text-slate-700">{title}</caption>
      <thead>
        <tr>
          <th className={th}>{title.replace("By ", "")}</th>
          {totalsHead}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className="border-t border-slate-100">
            <td className="py-1 pr-3">{r.key}</td>
            {totalsCells(r)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ToolTable({ summary }: { summary: TraceSummary }) {
  if (!summary.byTool.length) return null;
  return (
    <table className="w-full text-left" data-testid="trace-tools">
      <caption className="text-left font-medium text-slate-700">By tool</caption>
      <thead>
        <tr>
          <th className={th}>Tool</th>
          <th className={th}>Calls</th>
          <th className={th}>Total time</th>
          <th className={th}>p95</th>
          <th className={th}>Failures</th>
        </tr>
      </thead>
      <tbody>
        {summary.byTool.map((t) => (
          <tr key={t.tool} className="border-t border-slate-100">
            <td className="py-1 pr-3">{t.tool}</td>
            <td className={td}>{t.count}</td>
            <td className={td}>{formatDuration(t.totalMs)}</td>
            <td className={td}>{formatDuration(t.p95Ms)}</td>
            <td className={td}>{t.failures ? <span className="text-red-700">{t.failures}</span> : 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
