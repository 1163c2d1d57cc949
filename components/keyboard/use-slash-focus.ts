"use client";

import { useEffect, type RefObject } from "react";
import { isSlashShortcut } from "./slash-shortcut";

/** "/" anywhere on the page, outside a field, focuses this element (a search box), as on GitHub. */
export function useSlashFocus(ref: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (!ref.current || !isSlashShortcut(e)) return;
      e.preventDefault();
      ref.current.focus();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [ref]);
}
