"use client";

import { useMemo } from "react";
import { centreOn, overviewColumns, windowRect } from "./overview";
import { zoomTo } from "./scale";
import { useDragRange } from "./use-drag-range";
import { Selection } from "./waterfall-axis";
import type { Range, Span } from "./types";

const COLUMNS = 200;

/**
 * The whole run at a glance: how many calls were in flight over time, failures in red, and the
 * part the waterfall shows. Drag to zoom to a range; click to move the window there.
 */
export function OverviewStrip({ spans, bounds, view, now, onView }: { spans: readonly Span[]; bounds: Range; view: Range; now: number; onView: (range: Range) => void }) {
  // The columns follow the spans and the run's end in steps of 1% of its length (at least a
  // quarter second), not every tick of a live clock; a finished run's end does not move at all.
  const quantum = Math.max(250, (bounds.end - bounds.start) / 100);
  const step = Math.ceil(bounds.end / quantum);
  const columns = useMemo(
    () => overviewColumns(spans, bounds, COLUMNS, now),
    // `bounds.end` and `now` are read once a step, on purpose (see above).
    [spans, bounds.start, step],
  );
  const peak = Math.max(1, ...columns.map((c) => c.busy));
  const win = windowRect(view, bounds);
  const at = (f: number) => bounds.start + f * (bounds.end - bounds.start);
  const drag = useDragRange(
    (a, b) => onView(zoomTo(at(a), at(b), bounds)),
    (f) => onView(centreOn(view, f, bounds)),
  );
  return (
    <div
      {...drag.handlers}
      data-testid="overview"
      title="The whole run: drag to zoom, click to move there"
      className="relative h-10 cursor-crosshair touch-none select-none overflow-hidden rounded border border-slate-200 bg-slate-50"
    >
      <div className="absolute inset-0 flex items-end">
        {columns.map((c, i) => (
          <span
            key={i}
            className={`flex-1 ${c.failed ? "bg-red-400" : c.running ? "bg-sky-400" : "bg-slate-400"}`}
            style={{ height: `${c.busy ? Math.max(8, (c.busy / peak) * 100) : 0}%` }}
          />
        ))}
      </div>
      <span
        data-testid="overview-window"
        className="pointer-events-none absolute bottom-0 top-0 border-x-2 border-sky-600 bg-sky-500/10"
        style={{ left: `${win.left * 100}%`, width: `${win.width * 100}%` }}
      />
      {drag.selection && <Selection {...drag.selection} />}
    </div>
  );
}
