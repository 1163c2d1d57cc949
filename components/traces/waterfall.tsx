"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { descendantCount, laneIndex, layoutLanes, revealLane, visibleLanes } from "./lanes";
import { filterOptions, keptSpans, NO_FILTER, type TraceFilter } from "./filters";
import { isFailure, nextFailure } from "./failures";
import { anyRunning, lastEnd } from "./merge";
import { clampRange, fractionOf, isFull, msAt, zoomAround } from "./scale";
import { centreOn } from "./overview";
import { OverviewStrip } from "./overview-strip";
import { SpanRow, ROW_HEIGHT } from "./span-row";
import { TraceFilters } from "./trace-filters";
import { Gridlines, WaterfallAxis } from "./waterfall-axis";
import { KIND_BAR, KIND_LABEL } from "./colors";
import type { Range, Span, SpanKind, TraceSummary } from "./types";

export const WATERFALL_SPANS = "waterfall-spans";

const OVERSCAN = 12;
const ZOOM_STEP = 0.5;

type Props = {
  spans: readonly Span[];
  summary: TraceSummary | null;
  now: number;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Draw the critical path's spans outlined. */
  highlightCritical: boolean;
  /** Pages are still being read (an empty list is not "no spans" yet). */
  loading?: boolean;
  compact?: boolean;
};

/**
 * The trace's waterfall: one time axis, one row per span (nested by parent, children by start),
 * bars on the axis, an overview strip of the whole run, zoom, filters, collapse and "next
 * failure". Owns what the reader changes about the view (zoom, collapsed spans, filters); the
 * spans and the selection come from its parent. Rows are virtualized at a fixed height: only
 * those in view (and a few more) are in the DOM, whatever the size of the tree.
 */
export function Waterfall({ spans, summary, now, selectedId, onSelect, highlightCritical, loading = false, compact = false }: Props) {
  const lanes = useMemo(() => layoutLanes(spans), [spans]);
  const index = useMemo(() => laneIndex(lanes), [lanes]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [filter, setFilter] = useState<TraceFilter>(NO_FILTER);
  const kept = useMemo(() => keptSpans(lanes, filter), [lanes, filter]);
  const rows = useMemo(() => visibleLanes(lanes, collapsed, kept?.keep ?? null), [lanes, collapsed, kept]);
  const options = useMemo(() => filterOptions(spans), [spans]);
  const failures = useMemo(() => spans.reduce((n, s) => n + (isFailure(s) ? 1 : 0), 0), [spans]);

  // The run's extent: from the first start to the last end, or to now while something runs.
  const running = useMemo(() => anyRunning(spans), [spans]);
  const finishedEnd = useMemo(() => lastEnd(spans), [spans]);
  const origin = spans[0]?.startMs ?? summary?.startMs ?? now;
  const end = Math.max(finishedEnd ?? origin, running ? now : (finishedEnd ?? origin), summary?.endMs ?? origin);
  const bounds: Range = { start: origin, end: Math.max(end, origin + 1) };
  // Null: the whole run (and it keeps growing with a live run). Otherwise the zoomed range.
  const [zoom, setZoom] = useState<Range | null>(null);
  const clamped = zoom ? clampRange(zoom, bounds) : bounds;
  // One object per range, so rows of finished spans skip re-rendering when nothing moved.
  const view = useMemo<Range>(() => ({ start: clamped.start, end: clamped.end }), [clamped.start, clamped.end]);
  const setView = useCallback((range: Range) => setZoom(range), []);

  const sessions = useMemo(() => new Map((summary?.sessions ?? []).map((s) => [s.sessionId, s])), [summary]);
  const sessionLabel = useCallback((id: string) => {
    const s = sessions.get(id);
    return s ? `${"· ".repeat(s.depth)}${s.title || "Untitled session"}${s.agent ? ` (${s.agent})` : ""}` : id.slice(0, 8);
  }, [sessions]);
  const critical = useMemo(() => new Set(highlightCritical ? (summary?.criticalPath ?? []) : []), [summary, highlightCritical]);

  const toggle = useCallback(
    (id: string) =>
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  const timelineRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: (i) => lanes[rows[i]!]!.span.id,
    // The server render (and the first client one) draws the top rows before anything is measured.
    initialRect: { width: 1000, height: compact ? 320 : 640 },
  });

  // A selection made elsewhere (the summary, "next failure"): show its row, expanding its
  // ancestors and dropping a filter that hides it, and move the zoomed window to it.
  const reveal = useRef<string | null>(null);
  useEffect(() => {
    if (!selectedId) return;
    const i = index.get(selectedId);
    if (i === undefined) return;
    reveal.current = selectedId;
    if (kept && !kept.keep.has(selectedId)) setFilter(NO_FILTER);
    setCollapsed((c) => revealLane(lanes, i, c));
    const span = lanes[i]!.span;
    setZoom((z) => {
      if (!z) return z;
      const spanEnd = span.endMs ?? now;
      return spanEnd < z.start || span.startMs > z.end ? centreOn(z, fractionOf(span.startMs, bounds), bounds) : z;
    });
    // Only a new selection moves the view; later live batches must not.
  }, [selectedId]);
  useEffect(() => {
    const id = reveal.current;
    if (!id) return;
    const row = rows.findIndex((i) => lanes[i]!.span.id === id);
    if (row >= 0) {
      reveal.current = null;
      virtualizer.scrollToIndex(row, { align: "auto" });
    }
  }, [rows, lanes, virtualizer]);

  // Ctrl + wheel zooms around the pointer (plain wheel scrolls the rows).
  const viewRef = useRef({ view, bounds });
  viewRef.current = { view, bounds };
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey || !timelineRef.current) return;
      const rect = timelineRef.current.getBoundingClientRect();
      const f = (event.clientX - rect.left) / rect.width;
      if (f < 0 || f > 1) return;
      event.preventDefault();
      const { view: v, bounds: b } = viewRef.current;
      const next = zoomAround(v, msAt(f, v), event.deltaY > 0 ? 1.25 : 0.8, b);
      setZoom(isFull(next, b) ? null : next);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const zoomBy = (factor: number) => {
    const next = zoomAround(view, (view.start + view.end) / 2, factor, bounds);
    setZoom(isFull(next, bounds) ? null : next);
  };
  const goToNextFailure = () => {
    const i = nextFailure(lanes, selectedId, kept?.keep ?? null);
    if (i !== null) onSelect(lanes[i]!.span.id);
  };

  // Keys on the rows: up and down move the selection, left collapses it (or goes to its parent),
  // right expands it.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight"].includes(event.key)) return;
    event.preventDefault();
    const at = selectedId === null ? -1 : rows.findIndex((i) => lanes[i]!.span.id === selectedId);
    const lane = at >= 0 ? lanes[rows[at]!]! : undefined;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const next = Math.min(rows.length - 1, Math.max(0, at + (event.key === "ArrowDown" ? 1 : -1)));
      if (rows[next] !== undefined) onSelect(lanes[rows[next]!]!.span.id);
    } else if (lane && event.key === "ArrowLeft") {
      if (lane.end > rows[at]! + 1 && !collapsed.has(lane.span.id)) toggle(lane.span.id);
      else if (lane.parent >= 0) onSelect(lanes[lane.parent]!.span.id);
    } else if (lane && collapsed.has(lane.span.id)) toggle(lane.span.id);
  };

  const items = virtualizer.getVirtualItems();
  return (
    <section className="flex min-w-0 flex-col gap-2" data-testid="waterfall" data-spans={spans.length} data-rows={rows.length} aria-label="Trace waterfall">
      <TraceFilters
        filter={filter}
        options={options}
        sessionLabel={sessionLabel}
        shown={rows.length}
        total={lanes.length}
        onChange={setFilter}
        onNextFailure={goToNextFailure}
        failures={failures}
      />
      <OverviewStrip spans={spans} bounds={bounds} view={view} now={now} onView={(r) => setZoom(isFull(r, bounds) ? null : r)} />
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <button type="button" onClick={() => zoomBy(ZOOM_STEP)} className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50">
          Zoom in
        </button>
        <button type="button" onClick={() => zoomBy(1 / ZOOM_STEP)} disabled={!zoom} className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50 disabled:opacity-40">
          Zoom out
        </button>
        <button type="button" onClick={() => setZoom(null)} disabled={!zoom} className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50 disabled:opacity-40">
          Whole run
        </button>
        {collapsed.size > 0 && (
          <button type="button" onClick={() => setCollapsed(new Set())} className="text-sky-700 hover:underline">
            Expand all
          </button>
        )}
        <Legend />
      </div>
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <div className="flex overflow-y-hidden bg-slate-50 [scrollbar-gutter:stable]">
          <div className="w-72 shrink-0 border-b border-slate-200 px-2 text-[10px] leading-6 text-slate-500">Span</div>
          <WaterfallAxis view={view} bounds={bounds} origin={origin} onZoom={(r) => setZoom(isFull(r, bounds) ? null : r)} />
        </div>
        <div
          ref={scrollRef}
          // What the page's "Skip to the waterfall" link moves the focus to (one waterfall a page).
          id={compact ? undefined : WATERFALL_SPANS}
          tabIndex={0}
          // A grid holds rows; while there are none (loading, or filtered to nothing) it is a group
          // around the message that says so.
          role={rows.length > 0 ? "grid" : "group"}
          aria-label="Spans (arrow keys move the selection)"
          onKeyDown={onKeyDown}
          // As tall as its rows, up to a screenful (then it scrolls, and only rows in view render).
          className={`relative min-h-24 overflow-y-auto overscroll-contain outline-none [scrollbar-gutter:stable] ${compact ? "max-h-80" : "max-h-[calc(100vh-16rem)]"}`}
          style={{ height: virtualizer.getTotalSize() + 2 }}
        >
          <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
            <div className="pointer-events-none absolute inset-y-0 left-72 right-0" ref={timelineRef}>
              <Gridlines view={view} origin={origin} />
            </div>
            {rows.length === 0 && (
              <p className="p-6 text-sm text-slate-500">{spans.length ? "No span matches these filters." : loading ? "Loading spans…" : "No spans yet."}</p>
            )}
            {items.map((item) => {
              const laneAt = rows[item.index]!;
              const lane = lanes[laneAt]!;
              const id = lane.span.id;
              const descendants = descendantCount(lanes, laneAt);
              return (
                <SpanRow
                  key={item.key}
                  lane={lane}
                  top={item.start}
                  view={view}
                  now={lane.span.endMs === null ? now : 0}
                  hidden={descendants === 0 ? null : collapsed.has(id) ? descendants : 0}
                  selected={id === selectedId}
                  critical={critical.has(id)}
                  context={Boolean(kept && !kept.match.has(id))}
                  sessionDepth={sessions.get(lane.span.sessionId)?.depth}
                  onToggle={toggle}
                  onSelect={onSelect}
                />
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

function Legend() {
  const kinds: SpanKind[] = ["turn", "step", "tool", "subagent", "wait", "retry"];
  return (
    <span className="ml-auto flex flex-wrap items-center gap-2 text-[10px] text-slate-600" aria-label="Legend">
      {kinds.map((k) => (
        <span key={k} className="inline-flex items-center gap-1">
          <span className={`inline-block h-2 w-3 rounded-sm ${KIND_BAR[k]}`} />
          {KIND_LABEL[k]}
        </span>
      ))}
      <span className="inline-flex items-center gap-1">
        <span className="inline-block h-2 w-3 rounded-sm bg-red-500" />
        error
      </span>
      <span className="inline-flex items-center gap-1">
        <span className="inline-block h-2 w-3 rounded-sm ring-2 ring-fuchsia-500" />
        critical path
      </span>
    </span>
  );
}
