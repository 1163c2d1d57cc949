"use client";

import type { RefObject } from "react";
import { useShortcut } from "./use-shortcut";

/** "/" anywhere on the page, outside a field, focuses this element (a search box), as on GitHub. */
export function useSlashFocus(ref: RefObject<HTMLElement | null>) {
  useShortcut("search", () => ref.current?.focus());
}
