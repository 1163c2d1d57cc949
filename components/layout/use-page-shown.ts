"use client";

import { useEffect, useState } from "react";

/** How long a hidden tab keeps its live streams before letting them go. */
export const HIDDEN_GRACE_MS = 30_000;

/**
 * False once the tab has been hidden for `graceMs`, true again as soon as it shows. A browser
 * opens at most six connections to one server over HTTP/1.1, and every live stream holds one:
 * tabs left in the background give theirs back (and resume exactly on return), so the tab in
 * front can still send a prompt however many are open.
 */
export function usePageShown(graceMs = HIDDEN_GRACE_MS): boolean {
  const [shown, setShown] = useState(true);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      clearTimeout(timer);
      if (document.visibilityState === "visible") setShown(true);
      else timer = setTimeout(() => setShown(false), graceMs);
    };
    update();
    document.addEventListener("visibilitychange", update);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", update);
    };
  }, [graceMs]);
  return shown;
}
