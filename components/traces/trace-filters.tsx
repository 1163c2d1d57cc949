"use client";

import type { ReactNode } from "react";
import { isFiltering, NO_FILTER, toggleFilter, type TraceFilter } from "./filters";

type Options = { tools: string[]; statuses: string[]; sessions: string[]; agents: string[] };

/**
 * The filter menus (tool, status, session, agent: one checkbox list each), "Clear", "Next
 * failure", and how many spans are shown.
 */
export function TraceFilters({
  filter,
  options,
  sessionLabel,
  shown,
  total,
  onChange,
  onNextFailure,
  failures,
}: {
  filter: TraceFilter;
  options: Options;
  sessionLabel: (id: string) => string;
  shown: number;
  total: number;
  onChange: (filter: TraceFilter) => void;
  onNextFailure: () => void;
  failures: number;
}) {
  const menu = <K extends keyof TraceFilter>(key: K, label: string, values: string[], name: (v: string) => ReactNode = (v) => v) => (
    <details className="relative" data-testid={`filter-${key}`}>
      <summary className={`cursor-pointer rounded border px-2 py-0.5 ${filter[key].length ? "border-sky-500 bg-sky-50 text-sky-800" : "border-slate-300"}`}>
        {label}
        {filter[key].length ? ` (${filter[key].length})` : ""}
      </summary>
      <div className="absolute z-20 mt-1 max-h-64 w-56 overflow-auto rounded border border-slate-200 bg-white p-2 shadow-lg">
        {values.length === 0 && <p className="text-slate-500">None in this trace.</p>}
        {values.map((v) => (
          <label key={v} className="flex items-center gap-1.5 py-0.5">
            <input type="checkbox" checked={(filter[key] as string[]).includes(v)} onChange={() => onChange(toggleFilter(filter, key, v as TraceFilter[K][number]))} />
            <span className="truncate">{name(v)}</span>
          </label>
        ))}
      </div>
    </details>
  );
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs" data-testid="trace-filters">
      <span className="text-slate-500">Filter:</span>
      {menu("tools", "Tool", options.tools)}
      {menu("statuses", "Status", options.statuses)}
      {menu("sessions", "Session", options.sessions, sessionLabel)}
      {menu("agents", "Agent", options.agents)}
      {isFiltering(filter) && (
        <button type="button" onClick={() => onChange(NO_FILTER)} className="text-sky-700 hover:underline">
          Clear filters
        </button>
      )}
      <button
        type="button"
        onClick={onNextFailure}
        disabled={failures === 0}
        className="rounded border border-red-300 px-2 py-0.5 text-red-800 hover:bg-red-50 disabled:border-slate-200 disabled:text-slate-400"
      >
        Next failure{failures ? ` (${failures})` : ""}
      </button>
      <span className="ml-auto text-slate-500" data-testid="span-count">
        {shown === total ? `${total} spans` : `${shown} of ${total} spans shown`}
      </span>
    </div>
  );
}
