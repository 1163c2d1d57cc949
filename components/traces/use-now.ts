"use client";

import { useEffect, useState } from "react";

// Four times a second is smooth enough for a bar growing across a screen that spans minutes, and
// re-renders only the rows in view; a frame-rate clock would redraw them 60 times a second.
const TICK_MS = 250;

/**
 * The current time, ticking only while `active` (something runs); frozen otherwise. It starts at
 * `initial` (a time from the data, e.g. the run's last end), so the server render and the
 * browser's first render agree, then the browser moves it to its own clock.
 */
export function useNow(active: boolean, initial: number): number {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
