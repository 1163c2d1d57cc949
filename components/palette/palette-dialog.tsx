"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { NavPage } from "~/components/layout/nav";
import { PaletteOption } from "./palette-option";
import type { PaletteItem } from "./results";
import { moveSelection, selectedIndex } from "./selection";
import { usePaletteResults } from "./use-palette-results";

/**
 * The open palette: a modal dialog (the page behind it inert) whose one focusable element is
 * the input; the results are a listbox the input points into (aria-activedescendant), so the
 * arrows move the selection while the caret stays where the reader types.
 */
export function PaletteDialog({ pages, onGo, onDismiss }: { pages: NavPage[]; onGo: (item: PaletteItem) => void; onDismiss: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<string | null>(null);
  const { items, searching, error } = usePaletteResults(query, pages);
  const keys = items.map((i) => i.key);
  const selected = selectedIndex(keys, picked);
  const optionId = (at: number) => `${ids}-option-${at}`;

  useEffect(() => {
    dialog.current?.showModal();
    input.current?.focus();
  }, []);
  useEffect(() => {
    if (selected >= 0) document.getElementById(optionId(selected))?.scrollIntoView({ block: "nearest" });
  });

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter and the arrows belong to an input method while it composes a character.
    if (e.nativeEvent.isComposing) return;
    const next = moveSelection(keys, selected, e.key);
    if (next !== null) {
      e.preventDefault();
      setPicked(next);
    } else if (e.key === "Enter" && items[selected]) {
      e.preventDefault();
      onGo(items[selected]);
    } else if (e.key === "Tab") {
      // The input is all there is to focus in here: Tab stays in the dialog.
      e.preventDefault();
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-modal="true"
      aria-labelledby={`${ids}-title`}
      // Esc closes a modal dialog natively; a click on the backdrop lands on the dialog itself.
      onClose={onDismiss}
      onClick={(e) => e.target === dialog.current && onDismiss()}
      className="mx-auto mt-[12vh] w-full max-w-xl rounded-lg bg-white p-0 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/30"
    >
      <h2 id={`${ids}-title`} className="sr-only">
        Command palette
      </h2>
      <input
        ref={input}
        role="combobox"
        aria-label="Jump to a session, runner or page"
        aria-expanded="true"
        aria-controls={`${ids}-results`}
        aria-autocomplete="list"
        aria-activedescendant={selected >= 0 ? optionId(selected) : undefined}
        placeholder="Jump to a session, runner or page…"
        value={query}
        maxLength={200}
        onChange={(e) => {
          setQuery(e.target.value);
          setPicked(null);
        }}
        onKeyDown={onKeyDown}
        className="w-full border-b border-slate-200 px-4 py-3 text-sm outline-none"
      />
      <ul id={`${ids}-results`} role="listbox" aria-label="Results" className="max-h-96 overflow-y-auto py-1">
        {items.map((item, at) => (
          <li
            key={item.key}
            id={optionId(at)}
            role="option"
            aria-selected={at === selected}
            aria-labelledby={`${optionId(at)}-name`}
            aria-describedby={`${optionId(at)}-kind ${optionId(at)}-about`}
            // The input keeps focus; a click opens the result.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onGo(item)}
            className={`flex cursor-pointer items-center gap-3 px-4 py-2 text-sm ${at === selected ? "bg-sky-50" : ""}`}
          >
            <PaletteOption id={optionId(at)} item={item} />
          </li>
        ))}
      </ul>
      <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500" role="status">
        {statusText(error, searching, items.length === 0)}
      </p>
    </dialog>
  );
}

function statusText(error: { message: string } | null, searching: boolean, empty: boolean): string {
  if (error) return `Could not read sessions or runners: ${error.message}`;
  if (searching) return "Searching sessions…";
  if (empty) return "Nothing matches";
  return "↑ ↓ to choose, Enter to open, Esc to close";
}
