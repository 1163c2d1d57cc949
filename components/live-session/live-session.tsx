"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/components/trpc/react";
import { conversationRows } from "~/components/session/rows";
import { isTurnOpen, isActive, viewStatus, type DisplayStatus } from "~/components/session/status";
import { LiveIndicator, StatusBadge } from "~/components/session/status-badge";
import { ConnectionIndicator } from "~/components/session/connection-indicator";
import { agentAndModel, contextInUse, treeUsage } from "~/components/session/tree";
import type { RequestAnswer } from "~/components/session/types";
import { SessionFacts } from "~/components/session/session-facts";
import { UsageMeter } from "~/components/session/usage-meter";
import { LiveProvider, type LiveContextValue } from "./live-context";
import { useLiveSlots } from "./live-rows";
import { PendingElsewhere } from "./pending-elsewhere";
import { PromptBox } from "./prompt-box";
import { SessionLoading } from "./session-loading";
import { RunClock } from "./run-clock";
import { useCan } from "~/components/auth/use-me";
import { useSessionStream } from "./use-session-stream";
import { VirtualConversation, type Older } from "./virtual-conversation";
import { shownView } from "./window";
import { Breadcrumbs } from "~/components/lineage/breadcrumbs";
import { useSessionTitle } from "~/components/needs-you/use-attention";
import { ForkedFrom } from "~/components/lineage/forked-from";
import { forkSourceOf } from "~/components/lineage/ancestry";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { EditableTitle } from "~/components/session-actions/editable-title";
import { DeleteSession } from "~/components/session-actions/delete-session";

/** What the server page knows about the session before the stream starts. */
export type SessionSummary = {
  id: string;
  opencodeId: string;
  title: string;
  directory: string;
  stale: boolean;
  deletedAt: Date | null;
  /** Its own git worktree's state, when it has one: merged or discarded, its directory is gone. */
  worktree: { state: "active" | "merged" | "discarded" | "removed" } | null;
  createdAt: Date;
  runner: { id: string; name: string; status: string };
};

/**
 * The live page of one session: its stream folded into state, rendered with the session views.
 * `tail`: what stands for the conversation until the stream's snapshot comes (the page renders
 * its end on the server, session-tail.tsx).
 */
export function LiveSession({ summary: initial, tail }: { summary: SessionSummary; tail?: ReactNode }) {
  const trpc = useTRPC();
  const { live, connection, retry, loadOlder } = useSessionStream(initial.id);
  const tree = live.tree;
  // What the page reads besides the stream waits for its snapshot: read at once, these queries
  // were ahead of it in the database's queue (PGlite runs one query at a time), and the first
  // rows waited for them.
  const opened = tree !== null;
  // Runner health and the stale flag change without events in this stream: poll them.
  const summaryQuery = useQuery({ ...trpc.session.get.queryOptions({ sessionId: initial.id }), refetchInterval: 5_000, enabled: opened });
  const summary = summaryQuery.data ?? initial;
  const answersQuery = useQuery({ ...trpc.session.answers.queryOptions({ sessionId: initial.id }), enabled: opened });
  const treeQuery = useQuery({ ...trpc.session.tree.queryOptions({ sessionId: initial.id }), enabled: opened });
  const options = useQuery({ ...trpc.runner.options.queryOptions({ runnerId: summary.runner.id }), staleTime: 60_000, retry: false, enabled: opened });

  const queryClient = useQueryClient();
  const sessionCount = tree ? Object.keys(tree.sessions).length : 0;
  // What the lineage and the timeline show: which sessions there are and which turns run.
  const shape = tree ? `${sessionCount}:${Object.values(tree.sessions).map((s) => s.status).join()}` : null;
  const shownShape = useRef(shape);
  const repliedCount = Object.keys(live.replied).length;
  const { refetch: refetchTree } = treeQuery;
  const { refetch: refetchAnswers } = answersQuery;
  // Read again as the tree gains sessions, turns start and end, or requests wait; not when the stream's first
  // snapshot lands (the tree query, enabled then, reads it anyway). The server answers once it
  // has stored what the stream showed (publish first).
  useEffect(() => {
    const before = shownShape.current;
    shownShape.current = shape;
    if (before === null || before === shape) return;
    // The header's "waiting for you" too, once the tree's read says the store has caught up (a
    // request asked or answered changes a session's status).
    void refetchTree().then(() => queryClient.invalidateQueries(trpc.session.needsYou.queryFilter()));
    // Never at the cost of a page the reader asked for meanwhile ("Load more").
    void queryClient.invalidateQueries(trpc.session.timeline.pathFilter(), { cancelRefetch: false });
  }, [shape, refetchTree, queryClient, trpc]);
  // Read again as answers come; not when the first read lands (hence not in the dependencies):
  // that one is the read opening started.
  const answersRead = answersQuery.dataUpdatedAt > 0;
  useEffect(() => void (answersRead && refetchAnswers()), [repliedCount, refetchAnswers]);

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );

  const answers = useMemo(() => {
    const bySession = new Map<string, RequestAnswer[]>();
    const push = (a: RequestAnswer) => bySession.set(a.sessionId, [...(bySession.get(a.sessionId) ?? []), a]);
    const recorded = new Set<string>();
    for (const a of answersQuery.data ?? []) {
      recorded.add(a.requestId);
      push(a);
    }
    // Seen answered in the stream but not recorded here: answered elsewhere, once the record is checked.
    for (const r of Object.values(live.replied)) {
      if (!recorded.has(r.requestId)) push({ ...r, by: answersQuery.isFetching ? undefined : null });
    }
    return bySession;
  }, [answersQuery.data, answersQuery.isFetching, live.replied]);

  const rowIds = useMemo(() => new Map((treeQuery.data ?? []).map((s) => [s.opencodeId, s.id])), [treeQuery.data]);
  const focus = tree?.sessions[summary.opencodeId];
  // Deleted from another tab or by a teammate: the page becomes the archive, as the deleting tab's
  // does (the live fold lets the session go, which would leave an empty conversation here).
  const router = useRouter();
  const seenFocus = useRef(false);
  const refreshed = useRef(false);
  // Known in the render that loses the session, so no frame shows an empty conversation: until
  // the archive's page arrives, the conversation says where it went.
  if (focus) seenFocus.current = true;
  const gone = seenFocus.current && tree !== undefined && !focus;
  useEffect(() => {
    if (!(gone || summary.deletedAt) || refreshed.current) return;
    refreshed.current = true;
    router.refresh();
  }, [gone, summary.deletedAt, router]);
  const parentId = focus?.session?.parentId ?? undefined;
  const runnerDown = summary.runner.status !== "healthy";
  const blocked = summary.deletedAt
    ? "This session was deleted from its runner; its archive is read-only."
    : runnerDown
      ? `The runner “${summary.runner.name}” is ${summary.runner.status}: prompts cannot be sent until it serves again.`
      : parentId
        ? "This is a sub-agent session: its parent agent drives it. Prompt the root session instead."
        : summary.worktree && summary.worktree.state !== "active"
          ? `This session's worktree was ${summary.worktree.state === "merged" ? "merged and " : ""}removed: the agent has no directory to work in. Fork the session to go on.`
          : undefined;
  const canOperate = useCan("operator");
  const answerBlocked = !canOperate
    ? "Answering needs the operator role."
    : summary.deletedAt || runnerDown
      ? "The runner is not serving: answers cannot reach it."
      : undefined;

  const focusAnswers = answers.get(summary.opencodeId);
  const rows = useMemo(() => (focus ? conversationRows(shownView(focus), focusAnswers) : []), [focus, focusAnswers]);
  const focusId = summary.opencodeId;
  const older: Older | undefined = useMemo(
    () =>
      focus?.window && {
        count: focus.window.older,
        load: () => void loadOlder(focusId),
        reach: (turnIndex: number) => loadOlder(focusId, turnIndex),
      },
    [focus?.window, loadOlder, focusId],
  );
  const slots = useLiveSlots(summary.opencodeId);
  const [followVersion, setFollowVersion] = useState(0);

  // Unknown until the stream's first snapshot: showing "idle" before it would be a guess (and
  // a reload mid-run would briefly claim the run was over).
  const status: DisplayStatus | undefined = summary.deletedAt ? "gone" : tree ? (focus ? viewStatus(focus) : "idle") : undefined;
  const title = focus?.session?.title || summary.title;
  useSessionTitle(status, title);
  const usage = useMemo(() => (tree ? treeUsage(tree, summary.opencodeId) : undefined), [tree, summary.opencodeId]);
  const context = focus ? contextInUse(focus) : undefined;
  const contextMax = context
    ? options.data?.models.find((m) => m.providerID === context.providerId && m.modelID === context.modelId)?.contextLimit
    : undefined;
  const { agent, model } = focus ? agentAndModel(focus) : {};
  const forkedFrom = useMemo(() => forkSourceOf(treeQuery.data ?? [], initial.id), [treeQuery.data, initial.id]);

  const value: LiveContextValue | undefined = tree
    ? { tree, answers, rowIds, sessionRowId: initial.id, expanded, toggle, answerBlocked, loadOlder }
    : undefined;

  return (
    <div className="flex h-[calc(100vh-7.5rem)] min-h-[32rem] flex-col gap-3" data-testid="live-session">
      <header className="space-y-1.5">
        <Breadcrumbs members={treeQuery.data ?? []} sessionId={initial.id} />
        <div className="flex flex-wrap items-center gap-3">
          <EditableTitle sessionId={initial.id} title={title} canRename={canOperate}>
            <h1 className="min-w-0 truncate text-xl font-semibold" data-testid="session-title">
              {markUnrepresentable(title || "Untitled session")}
            </h1>
          </EditableTitle>
          <span data-testid="session-header-status" data-status={status ?? "loading"} className="inline-flex items-center gap-2">
            {status ? <StatusBadge status={status} /> : <span className="text-xs text-slate-500">Loading…</span>}
            {isActive(status) && <LiveIndicator />}
          </span>
          <span className="flex-1" />
          <ConnectionIndicator connection={connection} onRetry={retry} />
          {canOperate && !summary.deletedAt && tree && !parentId && (
            <DeleteSession target={{ sessionId: initial.id, title, runnerName: summary.runner.name, subagents: sessionCount - 1 }} />
          )}
        </div>
        <SessionFacts runner={summary.runner} directory={summary.directory} agent={agent} model={model} createdAt={summary.createdAt}>
          {forkedFrom && <ForkedFrom sessionId={forkedFrom.source.id} title={forkedFrom.source.title} turnIndex={forkedFrom.turnIndex} />}
        </SessionFacts>
        {focus && <RunClock view={focus} lastEventAt={live.lastEventAt} connection={connection} />}
        {usage && <UsageMeter usage={usage} context={context ? { used: context.tokens, max: contextMax || undefined } : undefined} />}
      </header>
      {gone ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600" data-testid="session-gone-note">
          This session was deleted from its runner. Opening its archive…
        </p>
      ) : value ? (
        <LiveProvider value={value}>
          <PendingElsewhere focusSessionId={summary.opencodeId} />
          <VirtualConversation rows={rows} slots={slots} older={older} version={`${live.seq}:${followVersion}:${expanded.size}`} />
        </LiveProvider>
      ) : (
        (tail ?? <SessionLoading />)
      )}
      {canOperate ? (
        <PromptBox
        sessionId={initial.id}
        runnerId={summary.runner.id}
        busy={isTurnOpen(focus ? viewStatus(focus) : undefined)}
        blocked={blocked}
        stale={summary.stale}
        onSent={() => setFollowVersion((v) => v + 1)}
      />
      ) : (
        <p className="rounded-lg border border-slate-200 bg-white p-3 text-sm text-slate-600" data-testid="read-only-note">
          You can watch this session. Prompting needs the operator role.
        </p>
      )}
    </div>
  );
}
