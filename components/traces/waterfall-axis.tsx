"use client";

import { fractionOf, msAt, ticks, zoomTo } from "./scale";
import { useDragRange } from "./use-drag-range";
import type { Range } from "./types";

// Labels need about this much room each.
const MAX_TICKS = 8;

/** The time axis over the timeline column: tick labels from the run's start; drag to zoom in. */
export function WaterfallAxis({ view, bounds, origin, onZoom }: { view: Range; bounds: Range; origin: number; onZoom: (range: Range) => void }) {
  const drag = useDragRange((a, b) => onZoom(zoomTo(msAt(a, view), msAt(b, view), bounds)));
  return (
    <div
      {...drag.handlers}
      data-testid="waterfall-axis"
      title="Drag to zoom to a time range"
      className="relative h-6 flex-1 cursor-crosshair touch-none select-none border-b border-slate-200"
    >
      {ticks(view, origin, MAX_TICKS).map((tick) => {
        const f = fractionOf(tick.ms, view);
        // Near the right edge a label goes left of its tick, so it is not cut off.
        const flip = f > 0.93;
        return (
          <span
            key={tick.ms}
            className={`absolute bottom-0 top-0 whitespace-nowrap text-[10px] leading-6 text-slate-500 ${flip ? "-translate-x-full border-r pr-1" : "border-l pl-1"} border-slate-300`}
            style={{ left: `${f * 100}%` }}
          >
            {tick.label}
          </span>
        );
      })}
      {drag.selection && <Selection {...drag.selection} />}
    </div>
  );
}

export function Selection({ from, to }: { from: number; to: number }) {
  return (
    <span
      className="pointer-events-none absolute bottom-0 top-0 bg-sky-400/30 ring-1 ring-sky-500"
      style={{ left: `${Math.min(from, to) * 100}%`, width: `${Math.abs(to - from) * 100}%` }}
    />
  );
}

/** Faint vertical lines at the ticks, behind the rows. */
export function Gridlines({ view, origin }: { view: Range; origin: number }) {
  return (
    <>
      {ticks(view, origin, MAX_TICKS).map((tick) => (
        <span key={tick.ms} className="pointer-events-none absolute bottom-0 top-0 border-l border-slate-100" style={{ left: `${fractionOf(tick.ms, view) * 100}%` }} />
      ))}
    </>
  );
}
