import type { SharedPage } from "~/server/share/shared-page";
import { ArchiveBanner } from "~/components/archive/archive-banner";
import { ArchivePager } from "~/components/archive/archive-pager";
import { TreeConversation } from "~/components/archive/tree-conversation";
import { LocalTime } from "~/components/session/local-time";
import { StatusBadge } from "~/components/session/status-badge";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { ShareFollow } from "./share-follow";
import { SharedTrace } from "~/components/traces/shared-trace";

type Shared = SharedPage & { expiresAt: Date | null };

/**
 * What a share link shows: the tree, read-only, server-rendered (complete without JavaScript),
 * a page of a long conversation at a time as the team's archived view pages it, and nothing else
 * of the app. With JavaScript, ShareFollow keeps it current while it runs.
 */
export function SharedSession({ token, shared }: { token: string; shared: Shared }) {
  const { tree, stats, running, expiresAt, paging } = shared;
  const root = tree.root;
  const session = tree.sessions[tree.requestedId] ?? root;
  // Page links keep the sub-agent whose pages these are.
  const query: Record<string, string> = session.id === root.id ? {} : { session: session.id };
  const expiry = expiresAt ? (
    <>
      This link expires <LocalTime at={expiresAt} />.
    </>
  ) : (
    "This link does not expire."
  );
  // A link may leave them out: the banner says only what the page holds.
  const withSubAgents = Object.keys(tree.sessions).length > 1;
  const download = (format: string) => `/share/${encodeURIComponent(token)}/download?format=${format}`;
  return (
    <div className="mx-auto max-w-4xl space-y-4 px-4 py-6 sm:px-6" data-testid="shared-session">
      <header className="space-y-1.5">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Flightdeck · shared read-only</p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 truncate text-xl font-semibold" data-testid="session-title">
            {markUnrepresentable(root.title || "Untitled session")}
          </h1>
          <span data-testid="shared-status" data-status={running ? "running" : "idle"}>
            <StatusBadge status={running ? "running" : "idle"} />
          </span>
          <ShareFollow token={token} sessionId={root.id} />
        </div>
      </header>
      <ArchiveBanner reason="shared" stats={stats} message={<>A read-only view of this session{withSubAgents ? " and its sub-agents" : ""}. {expiry}</>} />
      <p className="flex gap-3 text-sm">
        <a href={download("json")} className="text-sky-700 hover:underline" download>
          Download JSON
        </a>
        <a href={download("html")} className="text-sky-700 hover:underline" download>
          Download HTML
        </a>
      </p>
      <section className="space-y-2" aria-label="Trace" data-testid="shared-trace">
        <h2 className="text-sm font-medium text-slate-700">Trace</h2>
        <SharedTrace token={token} sessionId={root.id} />
      </section>
      {session.id !== root.id && (
        <p className="text-sm" data-testid="shared-subagent">
          Sub-agent: <span className="font-medium">{markUnrepresentable(session.title || session.opencodeId)}</span> ·{" "}
          <a href={`/share/${encodeURIComponent(token)}`} className="text-sky-700 hover:underline">
            Back to the session
          </a>
        </p>
      )}
      <ArchivePager paging={paging} query={query} anchors={session.id === root.id} />
      <TreeConversation
        tree={tree}
        session={session}
        options={{ links: false, shown: { turns: paging.turns, subAgents: paging.inlined }, pageOf: (id) => `?${new URLSearchParams({ session: id })}` }}
      />
      <ArchivePager paging={paging} query={query} anchors={false} />
    </div>
  );
}
