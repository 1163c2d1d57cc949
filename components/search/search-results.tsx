import { AppLink } from "~/components/layout/app-link";
import type { SearchPage, SearchMatch } from "~/server/search/search";
import { hitsLabel } from "./format";
import { matchHref } from "./params";
import { TimeAgo } from "~/components/session/time-ago";
import { statusLabel } from "~/components/session/status";

const KIND_LABEL: Record<SearchMatch["kind"], string> = {
  title: "Title",
  error: "Error",
  prompt: "Prompt",
  answer: "Answer",
  reasoning: "Reasoning",
  tool: "Tool call",
  file: "File",
};

/** A match's snippet: agent output as text, the matched words in <mark>. */
export function Snippet({ match }: { match: SearchMatch }) {
  return (
    <span className="text-sm text-slate-700">
      {match.snippet.map((s, i) => (s.match ? <mark key={i} className="rounded bg-yellow-200 px-0.5 text-slate-900">{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </span>
  );
}

/** Search results grouped by tree; each match links to its session's turn. Renders without JavaScript. */
export function SearchResults({ page, q, compact = false }: { page: SearchPage; q: string; compact?: boolean }) {
  return (
    <ol className="space-y-3" data-testid="search-results">
      {page.trees.map((tree) => (
        <li key={tree.rootId} data-testid="search-tree" data-root-id={tree.rootId} className="rounded-lg border border-slate-200 bg-white p-3">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <AppLink href={`/sessions/${tree.rootId}`} className="font-medium text-slate-900 hover:underline">
              {tree.title || "Untitled session"}
            </AppLink>
            <span className="text-xs text-slate-600">
              {tree.runnerName}
              {tree.startedBy ? ` · started by ${tree.startedBy}` : ""} · {tree.deleted ? statusLabel.gone.toLowerCase() : tree.status} · <TimeAgo at={tree.lastActivityAt} />
            </span>
            {!compact && q && <span className="text-xs text-slate-600" data-testid="search-tree-hits">{hitsLabel(tree.hits, tree.matches.length)}</span>}
          </div>
          <ul className="mt-2 space-y-1.5">
            {tree.matches.map((m, i) => (
              <li key={`${m.sessionId}-${m.partId ?? m.kind}-${i}`} data-testid="search-match" data-kind={m.kind} data-session-id={m.sessionId}>
                <AppLink href={matchHref(m, q)} className="group block rounded px-2 py-1 hover:bg-slate-50">
                  <span className="mr-2 text-xs font-medium uppercase tracking-wide text-slate-600">
                    {KIND_LABEL[m.kind]}
                    {m.tool ? ` ${m.tool}` : ""}
                    {m.sessionId !== tree.rootId ? ` · sub-agent “${m.sessionTitle || "untitled"}”` : ""}
                    {m.turnIndex !== null ? ` · turn ${m.turnIndex}` : ""}
                  </span>
                  <Snippet match={m} />
                </AppLink>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
