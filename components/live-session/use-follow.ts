"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";

const BOTTOM_SLACK_PX = 32;

/**
 * Keeps a scroll container pinned to its bottom while content streams in, until the reader
 * scrolls up on purpose (wheel, touch, keys, scrollbar drag); reaching the bottom again, or
 * `jump()`, resumes following. Content growth never counts as the reader scrolling.
 */
export function useFollow(ref: RefObject<HTMLElement | null>, contentVersion: unknown) {
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const pointerDown = useRef(false);
  const lastTop = useRef(0);

  const set = useCallback((value: boolean) => {
    followingRef.current = value;
    setFollowing(value);
  }, []);

  const pin = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    lastTop.current = el.scrollTop;
  }, [ref]);

  useLayoutEffect(() => {
    if (followingRef.current) pin();
  }, [contentVersion, pin]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Rows measure themselves after paint; keep the bottom in view as they grow.
    const observer = new ResizeObserver(() => {
      if (followingRef.current) pin();
    });
    for (const child of Array.from(el.children)) observer.observe(child);
    const atBottom = () => el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    const onWheel = (e: WheelEvent) => {
      if (e.deltaY < 0) set(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (["PageUp", "ArrowUp", "Home"].includes(e.key)) set(false);
    };
    const onTouch = () => set(false);
    const onPointerDown = (e: PointerEvent) => {
      pointerDown.current = e.target === el;
    };
    const onPointerUp = () => {
      pointerDown.current = false;
    };
    const onScroll = () => {
      if (atBottom()) {
        if (!followingRef.current) set(true);
      } else if (pointerDown.current && el.scrollTop < lastTop.current) {
        set(false);
      }
      lastTop.current = el.scrollTop;
    };
    el.addEventListener("wheel", onWheel, { passive: true });
    el.addEventListener("keydown", onKey);
    el.addEventListener("touchmove", onTouch, { passive: true });
    el.addEventListener("pointerdown", onPointerDown);
    window.addEventListener("pointerup", onPointerUp);
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener("wheel", onWheel);
      el.removeEventListener("keydown", onKey);
      el.removeEventListener("touchmove", onTouch);
      el.removeEventListener("pointerdown", onPointerDown);
      window.removeEventListener("pointerup", onPointerUp);
      el.removeEventListener("scroll", onScroll);
    };
  }, [ref, pin, set]);

  const jump = useCallback(() => {
    set(true);
    pin();
  }, [pin, set]);

  return { following, jump, stopFollowing: () => set(false) };
}
