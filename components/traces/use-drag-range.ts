"use client";

import { useRef, useState, type PointerEvent } from "react";

// Below this many pixels a press is a click, not a drag.
const DRAG_PX = 4;

/**
 * Drag across an element to pick a range of it, as fractions of its width (0 left, 1 right):
 * `onRange(a, b)` when released after a drag, `onClick(f)` for a press without one. `selection`
 * is the range being dragged, for drawing it.
 */
export function useDragRange(onRange: (a: number, b: number) => void, onClick?: (f: number) => void) {
  const start = useRef<{ x: number; f: number } | null>(null);
  const [selection, setSelection] = useState<{ from: number; to: number } | null>(null);
  const fraction = (event: PointerEvent<HTMLElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return rect.width > 0 ? Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width)) : 0;
  };
  return {
    selection,
    handlers: {
      onPointerDown: (event: PointerEvent<HTMLElement>) => {
        if (event.button !== 0) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        start.current = { x: event.clientX, f: fraction(event) };
      },
      onPointerMove: (event: PointerEvent<HTMLElement>) => {
        if (!start.current || Math.abs(event.clientX - start.current.x) < DRAG_PX) return;
        setSelection({ from: start.current.f, to: fraction(event) });
      },
      onPointerUp: (event: PointerEvent<HTMLElement>) => {
        const from = start.current;
        start.current = null;
        setSelection(null);
        if (!from) return;
        if (Math.abs(event.clientX - from.x) >= DRAG_PX) onRange(from.f, fraction(event));
        else onClick?.(from.f);
      },
      onPointerCancel: () => {
        start.current = null;
        setSelection(null);
      },
    },
  };
}
