"use client";

import { useSyncExternalStore } from "react";
import { relativeTime } from "./format";
import { useTimeFormat } from "./local-time";

// One clock for every relative time on the page, ticking twice a minute.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    listeners.forEach((l) => l());
  }, 30_000);
  now = Date.now();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * A time as people read it at a glance ("5 minutes ago"), the exact time on hover. The server
 * render (no clock of the reader's) shows the exact time in UTC; the relative one follows on the client.
 */
export function TimeAgo({ at, className }: { at: Date | string | number; className?: string }) {
  const clock = useSyncExternalStore(subscribe, () => now, () => null);
  const exact = useTimeFormat()(at);
  return (
    <time dateTime={new Date(at).toISOString()} title={exact} className={className}>
      {clock === null ? exact : relativeTime(at, clock)}
    </time>
  );
}
