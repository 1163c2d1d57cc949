"use client";

import { AppLink } from "~/components/layout/app-link";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { highlightTerms } from "./params";
import { matchOffsets } from "./highlight-ranges";

const NAME = "search-match";

/**
 * Marks the words of the search a reader came from (`?hl=`) on the session page, live or
 * archived, without touching how either renders: CSS Custom Highlights over the page's text,
 * marked again as the live view adds rows.
 */
export function SearchHighlight() {
  const q = useSearchParams().get("hl")?.trim() ?? "";
  const [count, setCount] = useState(0);
  useEffect(() => {
    const root = document.querySelector("main");
    if (!q || !root || typeof Highlight === "undefined" || !CSS.highlights) return;
    const terms = highlightTerms(q);
    let frame = 0;
    const mark = () => {
      frame = 0;
      const ranges: Range[] = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest("[data-search-highlight-skip]")) continue;
        for (const [start, end] of matchOffsets(node.textContent ?? "", terms)) {
          const range = new Range();
          range.setStart(node, start);
          range.setEnd(node, end);
          ranges.push(range);
        }
      }
      CSS.highlights.set(NAME, new Highlight(...ranges));
      setCount(ranges.length);
    };
    mark();
    const observer = new MutationObserver(() => {
      frame ||= requestAnimationFrame(mark);
    });
    observer.observe(root, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      CSS.highlights.delete(NAME);
    };
  }, [q]);
  if (!q) return null;
  return (
    <p data-search-highlight-skip data-testid="search-highlight" className="mb-3 text-sm text-slate-700">
      Marking “{q}” ({count} on this page) ·{" "}
      <AppLink href={`/search?${new URLSearchParams({ q })}`} className="font-medium text-sky-800 hover:underline">
        back to the results
      </AppLink>
    </p>
  );
}
