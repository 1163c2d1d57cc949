"use client";

import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ConversationRow, type RowSlots } from "~/components/session/conversation-row";
import type { Row } from "~/components/session/rows";
import { estimatedRowHeight } from "./row-height";
import { useFollow } from "./use-follow";
import { LoadOlderButton } from "./load-older-button";
import { useTurnJump } from "~/components/lineage/use-turn-jump";

/** Parts before the rows, not loaded yet (a windowed live view), and how to bring them in. */
export type Older = {
  count: number;
  /** The page before the first row. */
  load: () => void;
  /** Everything from a turn's start on (a jump to that turn). */
  reach: (turnIndex: number) => Promise<void>;
};

/** How close to the first row (in rows) a reader scrolling up makes the next older page load. */
const NEAR_TOP_ROWS = 8;

/**
 * The conversation of the page's session as a virtualized list: only the rows near the
 * viewport are in the DOM, each measured as it renders, so a session of ten thousand parts
 * scrolls as lightly as a short one. With `older`, earlier parts load as the reader nears the top.
 */
export function VirtualConversation({ rows, slots, version, older }: { rows: Row[]; slots: RowSlots; version: unknown; older?: Older }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimatedRowHeight(rows[index]!),
    overscan: 6,
    getItemKey: (index) => rows[index]!.key,
  });
  const { following, jump, stopFollowing } = useFollow(scrollRef, version);
  useTurnJump(rows, virtualizer, scrollRef, stopFollowing, older?.reach);
  // Home with parts still to come: the rows they bring go above the top, and the top stays in view
  // until the very first row is in (pages on their way when Home was pressed come first), or the
  // reader scrolls elsewhere.
  const toTop = useRef(false);
  useKeptInPlace(rows, scrollRef, !following, toTop, !older?.count);
  const items = virtualizer.getVirtualItems();
  const nearTop = (items[0]?.index ?? 0) < NEAR_TOP_ROWS;
  const loadOlder = older && older.count > 0 && nearTop && !following ? older.load : undefined;
  useEffect(() => loadOlder?.(), [loadOlder, items[0]?.index]);

  // The browser's own Home/End animate, and rows measured on the way move the target: in a
  // long session they stopped short of the ends. Jump there at once instead.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "Home") toTop.current = false;
    if (event.key !== "Home" && event.key !== "End") return;
    if ((event.target as HTMLElement).closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    if (event.key === "End") return jump();
    stopFollowing();
    event.currentTarget.scrollTop = 0;
    // The very first row: everything before the window comes in.
    if (older?.count) {
      toTop.current = true;
      void older.reach(1);
    }
  };

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onWheel={() => void (toTop.current = false)}
        onPointerDown={() => void (toTop.current = false)}
        data-testid="conversation"
        data-rows={rows.length}
        aria-label="Conversation"
        className="h-full overflow-y-auto overscroll-contain rounded-lg border border-slate-200 bg-white outline-none"
      >
        <div className="relative w-full" style={{ height: virtualizer.getTotalSize() + 24 }}>
          {rows.length === 0 && (
            <p className="p-6 text-sm text-slate-500">No messages yet. Send a prompt to start the agent.</p>
          )}
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <div
                key={item.key}
                data-index={item.index}
                data-turn={row.kind === "prompt" ? row.turnIndex : undefined}
                ref={virtualizer.measureElement}
                className="absolute left-0 top-0 w-full px-4 py-1.5"
                style={{ transform: `translateY(${item.start + 12}px)` }}
              >
                <ConversationRow row={row} slots={slots} />
              </div>
            );
          })}
        </div>
      </div>
      {older && older.count > 0 && nearTop && (
        <LoadOlderButton
          count={older.count}
          onLoad={older.load}
          className="absolute left-1/2 top-3 -translate-x-1/2 rounded-full bg-white px-3 py-1 text-xs text-slate-600 shadow ring-1 ring-slate-200 hover:bg-slate-50"
        />
      )}
      {!following && (
        <button
          type="button"
          onClick={jump}
          className="absolute bottom-4 left-1/2 -translate-x-1/2 rounded-full bg-slate-900 px-4 py-1.5 text-sm font-medium text-white shadow-lg hover:bg-slate-700"
        >
          Jump to latest ↓
        </button>
      )}
    </div>
  );
}

/**
 * Rows put before the first one (an older page) leave the rows the reader looks at where they
 * were: the list grows upwards instead of pushing them down.
 */
function useKeptInPlace(rows: Row[], scrollRef: RefObject<HTMLDivElement | null>, active: boolean, toTop: RefObject<boolean>, allIn: boolean) {
  const firstKey = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    const previous = firstKey.current;
    firstKey.current = rows[0]?.key;
    const el = scrollRef.current;
    if (!active || !el || previous === undefined || previous === rows[0]?.key) return;
    if (toTop.current) {
      toTop.current = !allIn;
      el.scrollTop = 0;
      return;
    }
    const at = rows.findIndex((row) => row.key === previous);
    let added = 0;
    // Unmeasured, the new rows take their estimated heights in the list.
    for (let i = 0; i < at; i++) added += estimatedRowHeight(rows[i]!);
    el.scrollTop += added;
  }, [rows, scrollRef, active, toTop, allIn]);
}
