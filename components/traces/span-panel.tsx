"use client";

import { AppLink } from "~/components/layout/app-link";
import type { ReactNode } from "react";
import { LocalTime } from "~/components/session/local-time";
import { KIND_LABEL, STATUS_TEXT } from "./colors";
import { spanCost, spanDuration, STATUS_WORD, tokenBreakdown } from "./format";
import { offsetLabel } from "./scale";
import type { TraceSource } from "./source";
import type { Span, TraceSummary } from "./types";
import { useSpanDetail } from "./use-span-detail";

/**
 * What one span is: its facts from the list, and its input, output and error read on demand.
 * Everything is plain text (agent output is untrusted): React escapes it, nothing is parsed as
 * HTML or markdown here.
 */
export function SpanPanel({ span, source, summary, origin, now, onClose }: { span: Span; source: TraceSource; summary: TraceSummary | null; origin: number; now: number; onClose: () => void }) {
  const { detail, loading, error } = useSpanDetail(source, span);
  const session = summary?.sessions.find((s) => s.sessionId === span.sessionId);
  const childHref = span.childSessionId && source.sessionHref ? source.sessionHref(span.childSessionId) : null;
  const word = STATUS_WORD[span.status];
  return (
    <aside className="min-w-0 space-y-3 self-start rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="span-panel" data-span-id={span.id} aria-label="Span">
      <header className="flex items-start gap-2">
        <div className="min-w-0 flex-1">
          <p className="text-xs text-slate-500">{KIND_LABEL[span.kind]}</p>
          <h3 className="break-words font-semibold" data-testid="span-panel-name">
            {span.name}
          </h3>
          {span.detail && <p className="break-words text-xs text-slate-600">{span.detail}</p>}
        </div>
        <button type="button" onClick={onClose} aria-label="Close span" className="text-slate-500 hover:text-slate-900">
          ✕
        </button>
      </header>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
        <Fact label="Status">
          <span data-testid="span-panel-status" className={STATUS_TEXT[span.status] ?? ""}>
            {word ?? "completed"}
          </span>
        </Fact>
        <Fact label="Started">
          <LocalTime at={span.startMs} /> <span className="text-slate-500">(+{offsetLabel(span.startMs - origin, 1)})</span>
        </Fact>
        <Fact label="Duration">{spanDuration(span, now)}</Fact>
        {session && <Fact label="Session">{session.title || "Untitled session"}</Fact>}
        {span.agent && <Fact label="Agent">{span.agent}</Fact>}
        {span.model && <Fact label="Model">{span.model}</Fact>}
        {span.tokens && <Fact label="Tokens">{tokenBreakdown(span.tokens)}</Fact>}
        {span.kind === "step" && (
          <Fact label="Cost">
            <span data-testid="span-panel-cost">{spanCost(span.cost)}</span>
          </Fact>
        )}
      </dl>
      {span.childSessionId && childHref && (
        <AppLink href={childHref} className="inline-block text-xs text-sky-700 hover:underline" data-testid="span-child-link">
          Open the sub-agent&apos;s session →
        </AppLink>
      )}
      {loading && <p className="text-xs text-slate-500">Loading input and output…</p>}
      {error && <p className="text-xs text-red-700">{error}</p>}
      {detail?.error && (
        <Block label="Error" tone="text-red-800 bg-red-50">
          {detail.error}
        </Block>
      )}
      {detail && detail.input !== null && detail.input !== undefined && <Block label="Input">{asText(detail.input)}</Block>}
      {detail?.output !== null && detail?.output !== undefined && (
        <Block label={detail.outputTruncated ? `Output (truncated; ${detail.outputBytes.toLocaleString("en-US")} bytes in all)` : "Output"}>{detail.output}</Block>
      )}
    </aside>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

function Block({ label, children, tone = "bg-slate-50 text-slate-800" }: { label: string; children: string; tone?: string }) {
  return (
    <div>
      <p className="text-xs font-medium text-slate-600">{label}</p>
      <pre className={`mt-1 max-h-72 overflow-auto whitespace-pre-wrap break-all rounded p-2 font-mono text-[11px] ${tone}`} data-testid={`span-${label.split(" ")[0]!.toLowerCase()}`}>
        {children}
      </pre>
    </div>
  );
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}
