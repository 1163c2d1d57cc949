"use client";

import { useHydrated } from "~/components/layout/use-hydrated";
import { useCallback, useMemo, useState } from "react";
import { Waterfall, WATERFALL_SPANS } from "./waterfall";
import { TraceSummaryView } from "./trace-summary";
import { SpanPanel } from "./span-panel";
import type { FollowState, TraceSource } from "./source";
import { useTrace, type TraceInitial } from "./use-trace";
import { useNow } from "./use-now";
import { SKIP_LINK } from "~/components/layout/skip-link";

/**
 * A tree's trace: summary, waterfall and the selected span's panel, over any source (the team's
 * `trace.*` or a share link's `share.trace*`). Owns the selection, so a click in the summary
 * selects in the waterfall; the data is owned by useTrace.
 */
export function TraceView({ source, initial, live = true, compact = false }: { source: TraceSource; initial?: TraceInitial; live?: boolean; compact?: boolean }) {
  const trace = useTrace(source, initial, { live });
  const running = useMemo(() => trace.spans.some((s) => s.endMs === null), [trace.spans]);
  const now = useNow(running || Boolean(trace.summary?.running), trace.summary?.endMs ?? trace.spans.at(-1)?.startMs ?? 0);
  const spanById = useMemo(() => new Map(trace.spans.map((s) => [s.id, s])), [trace.spans]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [highlightCritical, setHighlightCritical] = useState(true);
  const select = useCallback((id: string) => setSelectedId(id), []);
  const selected = selectedId ? (spanById.get(selectedId) ?? null) : null;
  const origin = trace.spans[0]?.startMs ?? trace.summary?.startMs ?? now;
  // Nothing read yet (a share page's trace): without JavaScript it never will be, so the server
  // sends only the note, not controls and a "Loading" that would wait forever.
  const hydrated = useHydrated();
  if (!hydrated && !trace.summary) {
    return (
      <div data-testid="trace-view" className="text-xs text-slate-500">
        <noscript>The waterfall needs JavaScript; everything else on this page reads without it.</noscript>
      </div>
    );
  }

  return (
    <div className="space-y-3" data-testid="trace-view" data-loading={trace.loading ? "" : undefined} data-follow={trace.follow}>
      {/* The summary's tables hold dozens of links: a keyboard reaches the spans past them at once. */}
      {!compact && (
        <a href={`#${WATERFALL_SPANS}`} className={SKIP_LINK}>
          Skip to the waterfall
        </a>
      )}
      <div className="flex flex-wrap items-center gap-3 text-xs text-slate-500">
        <FollowBadge state={trace.follow} live={live} />
        {trace.loading && (
          <span data-testid="trace-loading">
            Loading spans… {trace.total !== null ? `${trace.spans.length.toLocaleString("en-US")} of ${trace.total.toLocaleString("en-US")}` : ""}
          </span>
        )}
        {trace.error && <span className="text-red-700">{trace.error}</span>}
        <noscript>The waterfall needs JavaScript; everything else on this page reads without it.</noscript>
      </div>
      {trace.summary && (
        <TraceSummaryView
          summary={trace.summary}
          spanById={spanById}
          now={now}
          onSelect={select}
          sessionHref={source.sessionHref}
          highlightCritical={highlightCritical}
          onHighlightCritical={setHighlightCritical}
          compact={compact}
        />
      )}
      {/* The panel beside the waterfall on a wide page, under it in the narrow embeds. */}
      <div className={`grid gap-3 ${selected && !compact ? "lg:grid-cols-[minmax(0,1fr)_22rem]" : ""}`}>
        <Waterfall
          spans={trace.spans}
          summary={trace.summary}
          now={now}
          selectedId={selectedId}
          onSelect={select}
          highlightCritical={highlightCritical}
          loading={trace.loading}
          compact={compact}
        />
        {selected && <SpanPanel span={selected} source={source} summary={trace.summary} origin={origin} now={now} onClose={() => setSelectedId(null)} />}
      </div>
    </div>
  );
}

function FollowBadge({ state, live }: { state: FollowState; live: boolean }) {
  if (!live) return null;
  const label = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", closed: "Not live" }[state];
  return (
    <span data-testid="trace-follow" data-state={state} className={state === "live" ? "font-medium text-emerald-700" : ""}>
      {label}
    </span>
  );
}
