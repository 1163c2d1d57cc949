"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False on the server and while the browser hydrates, true after: what may differ between the two
 * (the reader's time zone, the clock) renders only then, or React discards the server's HTML.
 * Forms that submit through JavaScript keep their button disabled until then (clicked before,
 * the browser would send the form itself, fields such as a password in the address), and their
 * controlled fields too (a choice made before would be reset to the default, silently).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(never, () => true, () => false);
}
