"use client";

import { useRef, type KeyboardEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ConversationRow, type RowSlots } from "~/components/session/conversation-row";
import type { Row } from "~/components/session/rows";
import { estimatedRowHeight } from "./row-height";
import { useFollow } from "./use-follow";
import { useTurnJump } from "~/components/lineage/use-turn-jump";

/**
 * The conversation of the page's session as a virtualized list: only the rows near the
 * viewport are in the DOM, each measured as it renders, so a session of ten thousand parts
 * scrolls as lightly as a short one.
 */
export function VirtualConversation({ rows, slots, version }: { rows: Row[]; slots: RowSlots; version: unknown }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimatedRowHeight(rows[index]!),
    overscan: 6,
    getItemKey: (index) => rows[index]!.key,
  });
  const { following, jump, stopFollowing } = useFollow(scrollRef, version);
  useTurnJump(rows, virtualizer, scrollRef, stopFollowing);
  const items = virtualizer.getVirtualItems();

  // The browser's own Home/End animate, and rows measured on the way move the target: in a
  // long session they stopped short of the ends. Jump there at once instead.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "Home" && event.key !== "End") return;
    if ((event.target as HTMLElement).closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    if (event.key === "End") return jump();
    stopFollowing();
    event.currentTarget.scrollTop = 0;
  };

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
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
