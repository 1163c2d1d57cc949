"use client";

import { useHydrated } from "~/components/layout/use-hydrated";
import { formatTime, formatUtcTime } from "./format";

/** Formats times for where a node cannot go (a tooltip): UTC, labelled, until hydrated, then the reader's zone. */
export function useTimeFormat(): (at: Date | number | string) => string {
  return useHydrated() ? formatTime : formatUtcTime;
}

/** A date and time in the reader's time zone; the server renders it in UTC, labelled. */
export function LocalTime({ at, className }: { at: Date | number | string; className?: string }) {
  const format = useTimeFormat();
  return (
    <time dateTime={new Date(at).toISOString()} className={className}>
      {format(at)}
    </time>
  );
}
