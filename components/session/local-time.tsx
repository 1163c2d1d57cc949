"use client";

import { useSyncExternalStore } from "react";
import { formatTime, formatUtcTime } from "./format";

const never = () => () => {};

/**
 * False on the server and while the browser hydrates, true after: what may differ between the two
 * (the reader's time zone, the clock) renders only then, or React discards the server's HTML.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(never, () => true, () => false);
}

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
