"use client";

import { useEffect } from "react";

/** A `#turn-N` whose turn is on another page of the archive lands on a link to it: follow it. */
export function TurnPageJump() {
  useEffect(() => {
    const follow = () => {
      const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
      if (target instanceof HTMLAnchorElement && target.dataset.turnPage) location.replace(target.href);
    };
    follow();
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  return null;
}
