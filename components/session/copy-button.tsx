"use client";

import { useEffect, useState } from "react";

/**
 * Copies `text` to the clipboard. An icon with an accessible name (no text of its own, so the
 * text around it reads the same), then "Copied" for a moment, or why it could not.
 */
export function CopyButton({ text, what, className = "" }: { text: string; what: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  // Counted from the render that shows it, so a busy page still shows it for the whole moment.
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1_500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      onClick={copy}
      aria-label={`Copy ${what}`}
      title={`Copy ${what}`}
      data-testid="copy-button"
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs text-slate-600 ring-1 ring-slate-300 hover:bg-slate-100 hover:text-slate-900 ${className}`}
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
        <rect x="5" y="5" width="8" height="9" rx="1.5" />
        <path d="M3 11V3.5A1.5 1.5 0 0 1 4.5 2H10" />
      </svg>
      {state !== "idle" && <span role="status">{state === "copied" ? "Copied" : "Copy failed: the browser refused"}</span>}
    </button>
  );
}
