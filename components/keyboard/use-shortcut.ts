"use client";

import { useEffect, useRef } from "react";
import { shortcutOf, type Shortcut } from "./shortcuts";

/** Runs `action` when `shortcut` is pressed anywhere on the page, while `enabled`. */
export function useShortcut(shortcut: Shortcut, action: () => void, enabled = true) {
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (shortcutOf(e) !== shortcut) return;
      e.preventDefault();
      latest.current();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [shortcut, enabled]);
}
