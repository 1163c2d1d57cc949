"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { NavPage } from "~/components/layout/nav";
import { PaletteDialog } from "./palette-dialog";
import type { PaletteItem } from "./results";
import { isPaletteShortcut, shortcutHint } from "./shortcut";

/**
 * Ctrl+K (Cmd+K) on every signed-in page, and the header's hint that opens it too. Dismissing
 * it gives the focus back to where it was; opening a result navigates instead.
 */
export function CommandPalette({ pages }: { pages: NavPage[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [hint, setHint] = useState("Ctrl K");
  const opener = useRef<HTMLElement | null>(null);
  const giveFocusBack = useRef(false);

  const show = useCallback(() => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpen(true);
  }, []);
  const dismiss = useCallback(() => {
    giveFocusBack.current = true;
    setOpen(false);
  }, []);
  const go = (item: PaletteItem) => {
    setOpen(false);
    router.push(item.href);
  };

  // Once the dialog is gone: while it is open, the page behind it is inert and cannot take focus.
  useEffect(() => {
    if (open || !giveFocusBack.current) return;
    giveFocusBack.current = false;
    opener.current?.focus();
  }, [open]);
  // Known only in the browser; the server renders the common label.
  useEffect(() => setHint(shortcutHint(navigator.userAgent)), []);
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (!isPaletteShortcut(e)) return;
      e.preventDefault();
      if (open) dismiss();
      else show();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [open, show, dismiss]);

  return (
    <>
      <button
        type="button"
        onClick={show}
        aria-keyshortcuts="Control+K Meta+K"
        className="flex items-center gap-2 rounded-md px-2 py-1 text-xs text-slate-600 ring-1 ring-slate-200 hover:text-slate-900"
      >
        Jump to
        <kbd className="rounded bg-slate-100 px-1 font-sans">{hint}</kbd>
      </button>
      {open && <PaletteDialog pages={pages} onGo={go} onDismiss={dismiss} />}
    </>
  );
}
