import { AppLink } from "~/components/layout/app-link";
import type { SessionView } from "~/server/archive/view";
import { SessionFacts } from "~/components/session/session-facts";
import { StatusBadge } from "~/components/session/status-badge";
import type { DisplayStatus } from "~/components/session/status";
import { ArchiveBanner } from "./archive-banner";
import { ArchiveState } from "./archive-state";
import { ExportLinks, ForkForm, PurgeForm, SyncForm } from "./archive-actions";
import { ArchiveTabTitle } from "./archive-tab-title";
import { TreeConversation } from "./tree-conversation";
import { ArchivePager } from "./archive-pager";
import { Breadcrumbs } from "~/components/lineage/breadcrumbs";
import { ForkedFrom } from "~/components/lineage/forked-from";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { EditableTitle } from "~/components/session-actions/editable-title";
import { DeleteSession } from "~/components/session-actions/delete-session";

type ArchiveView = Extract<SessionView, { mode: "archive" }>;

/** The read-only page of an archived session: server-rendered, complete without JavaScript. */
/** What the reader's role lets them do here (the server checks it again on every action). */
export type ArchiveAbilities = { operate: boolean; purge: boolean };

/** `query`: the address parameters page links keep (view=archive, hl=…). */
export function ArchivedSession({ view, can, query }: { view: ArchiveView; can: ArchiveAbilities; query: Record<string, string> }) {
  const { tree, stats, state } = view;
  const session = tree.sessions[tree.requestedId] ?? tree.root;
  const deleted = Boolean(tree.root.deletedAt);
  // Gone only when it is known to be: deleted, or its runner said it no longer has it. Read on
  // request, or while its runner does not serve (an import's), its last recorded status, as the
  // dashboard lists it; the banner says which.
  const known = view.reason === "deleted" || view.reason === "gone-from-runner";
  const status: DisplayStatus = known ? "gone" : (session.status as DisplayStatus);
  return (
    <div className="space-y-4" data-testid="archived-session">
      <ArchiveTabTitle status={status} title={session.title} />
      <header className="space-y-1.5">
        <Breadcrumbs members={Object.values(tree.sessions)} sessionId={session.id} />
        <div className="flex flex-wrap items-center gap-3">
          <EditableTitle sessionId={session.id} title={session.title} canRename={can.operate}>
            <h1 className="min-w-0 truncate text-xl font-semibold" data-testid="session-title">
              {markUnrepresentable(session.title || "Untitled session")}
            </h1>
          </EditableTitle>
          <span data-testid="session-header-status" data-status={status}>
            <StatusBadge status={status} />
          </span>
          <ArchiveState state={state.state} error={state.error} lastArchivedAt={state.lastArchivedAt} />
          {can.operate && !deleted && session.id === tree.root.id && (
            <DeleteSession
              target={{ sessionId: session.id, title: session.title, runnerName: tree.runner.name, subagents: Object.keys(tree.sessions).length - 1 }}
            />
          )}
        </div>
        <SessionFacts
          runner={tree.runner}
          directory={session.directory}
          agent={session.agent}
          model={session.modelId ? `${session.providerId}/${session.modelId}` : null}
          createdAt={session.createdAt}
        >
          {tree.forkedFrom && <ForkedFrom {...tree.forkedFrom} />}
        </SessionFacts>
      </header>
      <ArchiveBanner reason={view.reason} stats={stats} ofTree={session.id === tree.root.id ? undefined : { rootTitle: tree.root.title }} />
      <div className="flex flex-wrap items-center gap-4">
        {can.operate && <ForkForm sessionId={session.id} turns={session.turns.length} />}
        {can.operate && !deleted && view.reason === "requested" && <SyncForm sessionId={session.id} archiveView />}
        <ExportLinks sessionId={session.id} />
        <AppLink href={`/sessions/${session.id}/traces`} className="text-sm text-sky-700 hover:underline" data-testid="traces-link">
          Traces
        </AppLink>
        {view.reason === "requested" && (
          <AppLink href={`/sessions/${session.id}`} className="text-sm text-sky-700 hover:underline">
            Back to the live view
          </AppLink>
        )}
        {can.purge && (deleted || tree.runner.status === "stopped") && <PurgeForm sessionId={tree.root.id} />}
      </div>
      {tree.forks.length > 0 && (
        <p className="text-xs text-slate-600" data-testid="forks">
          Forks:{" "}
          {tree.forks.map((f, i) => (
            <span key={f.sessionId}>
              {i > 0 && ", "}
              <AppLink href={`/sessions/${f.sessionId}`} className="text-sky-700 hover:underline">
                {f.title || "fork"}
              </AppLink>
              {f.turnIndex ? ` (turn ${f.turnIndex})` : ""}
            </span>
          ))}
        </p>
      )}
      <ArchivePager paging={view.paging} query={query} anchors={session.id === tree.root.id} />
      <TreeConversation tree={tree} session={session} options={{ links: true, source: view.source, shown: { turns: view.paging.turns, subAgents: view.paging.inlined } }} />
      <ArchivePager paging={view.paging} query={query} anchors={false} />
    </div>
  );
}

export function PurgedSession({ message }: { message: string }) {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center" data-testid="purged-session">
      <p className="text-sm font-medium text-slate-500">410</p>
      <h1 className="mt-1 text-xl font-semibold">This session was purged</h1>
      <p className="mt-2 text-sm text-slate-600">{message} Its conversation is gone for good; only this record remains.</p>
      <AppLink href="/" className="mt-4 inline-block text-sm text-sky-700 hover:underline">
        Back to all sessions
      </AppLink>
    </div>
  );
}
