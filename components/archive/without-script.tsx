import { turnAnchor } from "~/components/lineage/turn-anchor";

// What a reader without JavaScript is offered where the page needs it: the live view's
// conversation comes from its stream, and the archived view's panels below the conversation
// are streamed in (React moves them into place with an inline script). `<noscript>`: shown to
// that reader only.

/** `?panels=inline`: the archived page renders its panels in its first HTML, waiting for them. */
export const INLINE_PANELS = "inline";

const linkClass = "font-medium text-sky-700 underline";

/** On the live view: the same session's archived copy, on the page of the turn asked for. */
export function ArchivedCopyLink({ hl, turn }: { hl?: string; turn?: number }) {
  const query = new URLSearchParams({ view: "archive", ...(hl ? { hl } : {}), ...(turn ? { turn: String(turn) } : {}) });
  return (
    <noscript>
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="archived-copy-link">
        The live view needs JavaScript.{" "}
        <a href={`?${query}${turn ? `#${turnAnchor(turn)}` : ""}`} className={linkClass}>
          Read this session from its archive
        </a>{" "}
        (as of its last sync), which works without it.
      </p>
    </noscript>
  );
}

/** Below the archived conversation: the panels, on a page that waits for them. */
export function InlinePanelsLink({ query }: { query: Record<string, string> }) {
  return (
    <noscript>
      <p className="mt-4 text-sm text-slate-600" data-testid="inline-panels-link">
        The trace, lineage, timeline and team activity load after the conversation, with JavaScript.{" "}
        <a href={`?${new URLSearchParams({ ...query, panels: INLINE_PANELS })}`} className={linkClass}>
          Show them without it
        </a>
      </p>
    </noscript>
  );
}
