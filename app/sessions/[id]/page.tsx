import { Suspense, type ReactNode } from "react";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { api, type ServerCaller } from "~/server/api/server-caller";
import { archiveErrorData } from "~/server/api/errors";
import { hasRole } from "~/server/auth/caller";
import { LiveSession } from "~/components/live-session/live-session";
import { SessionTail } from "~/components/live-session/session-tail";
import { ArchivedSession, PurgedSession } from "~/components/archive/archived-session";
import { ArchiveStrip } from "~/components/archive/archive-strip";
import { positive } from "~/components/archive/archive-pager";
import { isSessionId } from "~/components/session/ids";
import { SessionActivity } from "~/components/team/session-activity";
import { SharePanel } from "~/components/share/share-panel";
import { LineagePanel } from "~/components/lineage/lineage-panel";
import { TimelinePanel } from "~/components/lineage/timeline-panel";
import { ArchivedTrace } from "~/components/traces/archived-trace";
import { SearchHighlight } from "~/components/search/search-highlight";
import { WorktreePanel } from "~/components/worktrees/worktree-panel";
import { ArchivedCopyLink, INLINE_PANELS, InlinePanelsLink } from "~/components/archive/without-script";

/** The family tree and the root's turns, first page rendered here (readable without JavaScript). */
async function Lineage({ caller, sessionId }: { caller: ServerCaller; sessionId: string }) {
  const [family, timeline] = await Promise.all([caller.session.tree({ sessionId }), caller.session.timeline({ sessionId, limit: 20 })]);
  return (
    <>
      <LineagePanel sessionId={sessionId} initial={family} />
      <TimelinePanel pageSessionId={sessionId} initial={timeline} />
    </>
  );
}

/**
 * The archived tree's trace: its summary rendered here, the waterfall read in the browser. A trace
 * that cannot be read leaves the rest of the archive readable (the traces page says why).
 */
async function Trace({ caller, sessionId }: { caller: ServerCaller; sessionId: string }) {
  const summary = await caller.trace.summary({ sessionId }).catch(() => null);
  return summary && summary.spanCount > 0 ? <ArchivedTrace sessionId={sessionId} summary={summary} /> : null;
}

async function Audit({ caller, sessionId }: { caller: ServerCaller; sessionId: string }) {
  return <SessionActivity sessionId={sessionId} initial={await caller.session.audit({ sessionId })} />;
}

/**
 * Streamed in after what comes before it, or, when `inline` (a reader without JavaScript asked
 * for it), in the page's first HTML: streamed, it shows only once React's inline script moves it.
 */
function Later({ inline, children }: { inline: boolean; children: ReactNode }) {
  return inline ? children : <Suspense>{children}</Suspense>;
}

/** Below the conversation, live or archived: lineage, share links and the team's activity, each streamed in as it is read. */
function TreePanels({ caller, sessionId, rootId, inline = false }: { caller: ServerCaller; sessionId: string; rootId: string; inline?: boolean }) {
  return (
    <>
      <Later inline={inline}>
        <Lineage caller={caller} sessionId={sessionId} />
      </Later>
      <SharePanel sessionId={rootId} />
      <Later inline={inline}>
        <Audit caller={caller} sessionId={sessionId} />
      </Later>
    </>
  );
}

export const dynamic = "force-dynamic";


/** What of the address links keep: archive page links `view` and `hl`, the panels link the page too. */
function pageQuery(search: Record<string, string | string[] | undefined>, keys = ["view", "hl"]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((key) => (typeof search[key] === "string" ? [[key, search[key]]] : [])));
}

type Search = Promise<Record<string, string | string[] | undefined>>;

// Malformed ids never reach this page: proxy.ts answers them with 400 (invalid-id page), and a
// purged session's address with 410 (this page then says it was purged).
// When the runner no longer has the session (or it was deleted, or ?view=archive), the page is
// the archive, rendered here with server components and readable without JavaScript.
export default async function SessionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Search }) {
  const { id } = await params;
  if (!isSessionId(id)) notFound();
  const caller = await api();
  const search = await searchParams;
  const view = await caller.archive
    .view({ sessionId: id, archive: search.view === "archive", page: positive(search.page), turn: positive(search.turn) })
    .catch((error: unknown) => {
      const kind = error instanceof TRPCError ? archiveErrorData(error)?.kind : undefined;
      if (kind === "unknown") notFound();
      if (kind === "purged") return { mode: "purged" as const, message: (error as Error).message };
      throw error;
    });
  if (view.mode === "purged") return <PurgedSession message={view.message} />;
  const me = await caller.account.me();
  const can = { operate: hasRole(me, "operator"), purge: hasRole(me, "admin") };
  if (view.mode === "archive") {
    const inline = search.panels === INLINE_PANELS;
    const { worktree } = await caller.session.get({ sessionId: id });
    const diff = worktree ? await caller.worktree.diff({ sessionId: id }).catch(() => undefined) : undefined;
    return (
      <>
        <SearchHighlight />
        <ArchivedSession view={view} can={can} query={pageQuery(search)} />
        {worktree && <WorktreePanel sessionId={id} rootId={view.state.rootId} worktree={worktree} initial={diff} canOperate={can.operate} />}
        {/* The conversation is the first screen: what reads the whole tree follows as it is ready. */}
        {!inline && <InlinePanelsLink query={pageQuery(search, ["view", "hl", "page", "turn"])} />}
        <Later inline={inline}>
          <Trace caller={caller} sessionId={id} />
        </Later>
        <TreePanels caller={caller} sessionId={id} rootId={view.state.rootId} inline={inline} />
      </>
    );
  }
  const session = await caller.session.get({ sessionId: id }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <>
      <SearchHighlight />
      <ArchiveStrip sessionId={id} state={view.state} canSync={can.operate} />
      <ArchivedCopyLink hl={typeof search.hl === "string" ? search.hl : undefined} turn={positive(search.turn)} />
      <LiveSession
        summary={{
          id: session.id,
          opencodeId: session.opencodeId,
          title: session.title,
          directory: session.directory,
          stale: session.stale,
          deletedAt: session.deletedAt,
          worktree: session.worktree && { state: session.worktree.state },
          createdAt: session.createdAt,
          runner: session.runner,
        }}
        // In the first HTML, not a Suspense boundary: streamed in later, it would show only once
        // React's inline script moves it in (never without JavaScript). A read of a few parts.
        tail={<SessionTail caller={caller} sessionId={id} />}
      />
      {session.worktree && <WorktreePanel sessionId={id} rootId={view.state.rootId} worktree={session.worktree} canOperate={can.operate} />}
      {/* The conversation comes from the stream: what the page reads besides follows as it is ready. */}
      <TreePanels caller={caller} sessionId={id} rootId={view.state.rootId} />
    </>
  );
}
