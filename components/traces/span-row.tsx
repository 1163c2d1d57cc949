"use client";

import { memo } from "react";
import type { Lane } from "./lanes";
import { barGeometry } from "./scale";
import { barClass, barStyle, KIND_LABEL, STATUS_TEXT } from "./colors";
import { spanDuration, STATUS_WORD } from "./format";
import type { Range } from "./types";

export const ROW_HEIGHT = 24;
// Past this depth rows stop indenting further, so deep trees keep room for their names.
const MAX_INDENT = 24;
const INDENT_PX = 12;
// The thinnest bar drawn, as a fraction of the timeline: a 1 ms call in an hour is still there.
const MIN_BAR = 0.002;

type Props = {
  lane: Lane;
  top: number;
  view: Range;
  /** The clock for a running span (0 for a finished one, so its row does not re-render on ticks). */
  now: number;
  /** Null without children; 0 when expanded; collapsed, how many descendants it hides. */
  hidden: number | null;
  selected: boolean;
  critical: boolean;
  /** Shown only as the ancestor of a filter's match. */
  context: boolean;
  sessionDepth: number | undefined;
  onToggle: (id: string) => void;
  onSelect: (id: string) => void;
};

/**
 * One span: its name indented by depth (with a collapse toggle when it has children) and its bar
 * on the time axis. Memoized: only rows whose props changed re-render on a tick or a new batch.
 */
export const SpanRow = memo(function SpanRow({ lane, top, view, now, hidden, selected, critical, context, sessionDepth, onToggle, onSelect }: Props) {
  const { span, depth } = lane;
  const end = span.endMs ?? Math.max(now, span.startMs);
  const geometry = barGeometry(span.startMs, end, view, MIN_BAR);
  const word = STATUS_WORD[span.status];
  const hasChildren = hidden !== null;
  return (
    <div
      role="row"
      aria-selected={selected}
      data-testid="span-row"
      data-span-id={span.id}
      data-parent-id={span.parentId ?? undefined}
      data-kind={span.kind}
      data-status={span.status}
      data-depth={depth}
      data-session-id={span.sessionId}
      data-session-depth={sessionDepth}
      data-critical={critical ? "" : undefined}
      onClick={() => onSelect(span.id)}
      className={`absolute left-0 top-0 flex w-full cursor-pointer items-center text-xs hover:bg-slate-50 ${selected ? "bg-sky-50 hover:bg-sky-50" : ""} ${context ? "opacity-50" : ""}`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
    >
      {/* A grid row holds cells (role="grid" on the waterfall): the name with its toggle, and the bar. */}
      <div role="gridcell" className="flex w-72 shrink-0 items-center gap-1 overflow-hidden whitespace-nowrap pr-2" style={{ paddingLeft: 4 + Math.min(depth, MAX_INDENT) * INDENT_PX }}>
        {hasChildren ? (
          <button
            type="button"
            data-testid="span-toggle"
            aria-expanded={hidden === 0}
            aria-label={`${hidden === 0 ? "Collapse" : "Expand"} ${span.name}`}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(span.id);
            }}
            className="w-4 shrink-0 text-slate-500 hover:text-slate-900"
          >
            {hidden === 0 ? "▾" : "▸"}
          </button>
        ) : (
          <span className="w-4 shrink-0" />
        )}
        {/* The name keeps its room; the detail after it gives way first. */}
        <span className="max-w-[70%] shrink-0 truncate font-medium text-slate-800" title={KIND_LABEL[span.kind]}>
          {span.name}
        </span>
        {span.detail && <span className="min-w-0 truncate text-slate-500">{span.detail}</span>}
        {word && (
          <span data-testid="span-status" className={`shrink-0 ${STATUS_TEXT[span.status] ?? ""}`}>
            {word}
          </span>
        )}
        {hidden ? <span className="shrink-0 text-slate-500">+{hidden}</span> : null}
      </div>
      <div role="gridcell" className="relative h-full min-w-0 flex-1">
        {geometry && (
          <div
            data-testid="span-bar"
            data-start-ms={span.startMs}
            data-end-ms={Math.round(end)}
            data-running={span.endMs === null ? "" : undefined}
            title={`${span.name} · ${spanDuration(span, now)}${word ? ` · ${word}` : ""}`}
            className={`absolute top-1 bottom-1 rounded-sm ${barClass(span.kind, span.status)} ${critical ? "ring-2 ring-fuchsia-500 ring-offset-0" : ""} ${selected ? "outline outline-2 outline-sky-700" : ""}`}
            style={{ left: `${geometry.left * 100}%`, width: `${geometry.width * 100}%`, ...barStyle(span.status) }}
          />
        )}
      </div>
    </div>
  );
});
