import type { ArchivedTree } from "~/server/archive/read";
import type { TreeStats } from "~/server/archive/stats";
import { ArchiveBanner } from "~/components/archive/archive-banner";
import { TreeConversation } from "~/components/archive/tree-conversation";
import { formatTime } from "~/components/session/format";
import { StatusBadge } from "~/components/session/status-badge";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { ShareFollow } from "./share-follow";
import { SharedTrace } from "~/components/traces/shared-trace";

type Shared = { tree: ArchivedTree; stats: TreeStats; running: boolean; expiresAt: Date | null };

/**
 * What a share link shows: the tree, read-only, server-rendered (complete without JavaScript),
 * and nothing else of the app. With JavaScript, ShareFollow keeps it current while it runs.
 */
export function SharedSession({ token, shared }: { token: string; shared: Shared }) {
  const { tree, stats, running, expiresAt } = shared;
  const root = tree.root;
  const expiry = expiresAt ? `This link expires ${formatTime(expiresAt)}.` : "This link does not expire.";
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
      <ArchiveBanner reason="shared" stats={stats} message={`A read-only view of this session and its sub-agents. ${expiry}`} />
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
      <TreeConversation tree={tree} session={root} options={{ links: false }} />
    </div>
  );
}
