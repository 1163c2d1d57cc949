"use client";

import { useEffect, useState, type RefObject } from "react";
import type { Virtualizer } from "@tanstack/react-virtual";
import type { Row } from "~/components/session/rows";
import { turnOfHash } from "./turn-anchor";

/**
 * The live view's side of `#turn-<n>`: only rows near the viewport exist in its DOM, so the
 * browser cannot find the anchor; scroll the list to the turn's prompt row instead. A turn not
 * in the rows yet (the stream's snapshot still coming, or before a windowed view's first row:
 * `reach` loads it) is jumped to once it arrives.
 */
export function useTurnJump(
  rows: Row[],
  virtualizer: Virtualizer<HTMLDivElement, Element>,
  scrollRef: RefObject<HTMLDivElement | null>,
  stopFollowing: () => void,
  reach?: (turnIndex: number) => unknown,
) {
  const [wanted, setWanted] = useState<number>();
  useEffect(() => {
    const read = () => setWanted(turnOfHash(window.location.hash));
    read();
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, []);
  useEffect(() => {
    if (wanted === undefined) return;
    const index = rows.findIndex((r) => r.kind === "prompt" && r.turnIndex === wanted);
    if (index < 0) return void reach?.(wanted);
    stopFollowing();
    scrollRef.current?.scrollIntoView({ block: "nearest" });
    virtualizer.scrollToIndex(index, { align: "start" });
    setWanted(undefined);
  }, [wanted, rows, virtualizer, scrollRef, stopFollowing, reach]);
}
