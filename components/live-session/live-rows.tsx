"use client";

import { AppLink } from "~/components/layout/app-link";
import { useMemo } from "react";
import { Conversation, type RowSlots } from "~/components/session/conversation-row";
import { conversationRows } from "~/components/session/rows";
import { isActive, viewStatus } from "~/components/session/status";
import { LiveIndicator, StatusBadge } from "~/components/session/status-badge";
import { subtreeIds } from "~/components/session/tree";
import type { ToolEntry } from "~/components/session/types";
import { LiveProvider, useLive } from "./live-context";
import { useSessionStream } from "./use-session-stream";
import { PermissionActions, QuestionActions } from "./request-actions";
import { ResendPrompt } from "./resend-prompt";
import { UndoRevert } from "./undo-revert";
import { AutoApprovalNote } from "./auto-approval-note";
import { shownView } from "./window";
import { LoadOlderButton } from "./load-older-button";

/** The live controls for the rows of one session of the tree. */
export function useLiveSlots(sessionOpencodeId: string): RowSlots {
  return useMemo(
    () => ({
      toolExtra: (tool) =>
        tool.name === "task" ? <SubagentPanel tool={tool} /> : tool.name === "bash" ? <AutoApprovalNote tool={tool} sessionOpencodeId={sessionOpencodeId} /> : null,
      permissionActions: (request) => <PermissionActions request={request} sessionOpencodeId={sessionOpencodeId} />,
      questionActions: (request) => <QuestionActions request={request} sessionOpencodeId={sessionOpencodeId} />,
      resendPrompt: (text) => <ResendPrompt text={text} sessionOpencodeId={sessionOpencodeId} />,
      revertedActions: () => <UndoRevert sessionOpencodeId={sessionOpencodeId} />,
    }),
    [sessionOpencodeId],
  );
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * A sub-agent tool call's child session: its status, and its whole conversation inline on
 * demand. The child's events are part of the tree's stream, so the expanded view is live from
 * the first moment, whether the child is running or done.
 */
function SubagentPanel({ tool }: { tool: ToolEntry }) {
  const { tree, expanded, toggle, rowIds } = useLive();
  // A fork's copy of its source's call: the sub-agent lives in the source's tree.
  const copied = tool.sourceChildSessionId !== undefined;
  const childId = tool.childSessionId ?? tool.sourceChildSessionId;
  const child = childId && !copied ? tree.sessions[childId] : undefined;
  const open = childId !== undefined && expanded.has(childId);
  // While the task call runs, its child works even before the child's own status arrives.
  const toolRunning = tool.status === "running" || tool.status === "pending";
  const childStatus = child ? viewStatus(child) : undefined;
  const status = toolRunning && (!childStatus || childStatus === "idle") ? "running" : (childStatus ?? "idle");
  const nested = child ? subtreeIds(tree, child.sessionId).length - 1 : 0;
  const rowId = childId ? rowIds.get(childId) : undefined;
  const agent = str(tool.input.subagent_type);
  return (
    <div data-testid="subagent" data-child-session={childId ?? ""} data-status={status}>
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <span className="font-medium text-slate-700">Sub-agent{agent ? ` @${agent}` : ""}</span>
        <StatusBadge status={status} />
        {isActive(status) && <LiveIndicator />}
        {nested > 0 && (
          <span className="text-slate-500">
            {nested} nested sub-agent{nested === 1 ? "" : "s"}
          </span>
        )}
        {copied && <span className="text-slate-500">run in the session this one was forked from</span>}
        <span className="flex-1" />
        {rowId && (
          <AppLink href={`/sessions/${rowId}`} className="text-sky-700 hover:underline">
            Open page
          </AppLink>
        )}
        <button
          type="button"
          disabled={!childId}
          aria-expanded={open}
          onClick={() => childId && toggle(childId)}
          className="rounded-md bg-sky-700 px-2.5 py-1 font-medium text-white shadow-sm hover:bg-sky-800 disabled:opacity-50"
        >
          {!childId ? "Starting agent…" : open ? "Hide agent session" : "Inspect agent session"}
        </button>
      </div>
      {open && childId && (copied ? <SourceChildConversation rowId={rowId} sessionId={childId} /> : <ChildConversation sessionId={childId} />)}
    </div>
  );
}

/**
 * A sub-agent of the session a fork was made from, read from the source's own tree stream (the
 * fork's tree does not hold it), with the source's tree as the context of everything nested in it.
 */
function SourceChildConversation({ rowId, sessionId }: { rowId: string | undefined; sessionId: string }) {
  if (!rowId) {
    return (
      <p data-testid="subagent-conversation" className="mt-3 text-xs text-slate-500">
        The forked-from session's sub-agent is not in the archive.
      </p>
    );
  }
  return <SourceTree rowId={rowId} sessionId={sessionId} />;
}

function SourceTree({ rowId, sessionId }: { rowId: string; sessionId: string }) {
  const outer = useLive();
  const { live, loadOlder } = useSessionStream(rowId);
  const value = useMemo(
    () =>
      live.tree && {
        ...outer,
        tree: live.tree,
        loadOlder,
        answers: new Map(),
        sessionRowId: rowId,
        answerBlocked: "This sub-agent belongs to the session this one was forked from.",
      },
    [outer, live.tree, loadOlder, rowId],
  );
  if (!value) return <p className="mt-3 text-xs text-slate-500">Loading the sub-agent's session…</p>;
  return (
    <LiveProvider value={value}>
      <ChildConversation sessionId={sessionId} />
    </LiveProvider>
  );
}

/** A sub-agent's conversation inline: its latest parts as the tree's snapshot holds them, earlier ones on demand. */
function ChildConversation({ sessionId }: { sessionId: string }) {
  const { tree, answers, loadOlder } = useLive();
  const view = tree.sessions[sessionId];
  const childAnswers = answers.get(sessionId);
  const rows = useMemo(() => (view ? conversationRows(shownView(view), childAnswers) : []), [view, childAnswers]);
  const slots = useLiveSlots(sessionId);
  const older = view?.window?.older ?? 0;
  return (
    <div data-testid="subagent-conversation" data-session={sessionId} className="mt-3 border-l-2 border-sky-300 pl-3">
      <p className="mb-2 text-xs text-slate-500">{view?.session?.title ?? "Sub-agent session"}</p>
      {older > 0 && (
        <LoadOlderButton count={older} onLoad={() => void loadOlder(sessionId)} className="mb-2 text-xs text-sky-700 hover:underline" />
      )}
      <Conversation rows={rows} slots={slots} empty={<p className="text-xs text-slate-500">Waiting for the sub-agent's first event…</p>} />
    </div>
  );
}
