import { applyEvent, emptySnapshot } from "~/server/stream/materialize";
import type { SessionEvent } from "~/server/stream/session-event";
import type { RequestAnswer, SessionView, SnapshotState } from "~/components/session/types";
import { outsideWindow } from "./window";

/**
 * The browser's copy of a session tree. `applyEvent` mutates in place (right for the server's
 * long-lived copy); React needs new objects wherever something changed, so a batch first copies
 * what it is about to touch (the tree, each touched session, each part that grows) and leaves
 * everything else shared. Unchanged parts keep their identity, so their rows skip re-rendering.
 */
export type LiveState = {
  tree: SnapshotState | null;
  /** Seq of the last event applied; anything at or below it is a replay and is skipped. */
  seq: number;
  /** Requests answered while this view watched, with what they asked (the fold forgets them). */
  replied: Record<string, RequestAnswer>;
  /**
   * When the tree last showed life (ms): the arrival of its latest runner event, or, from a
   * snapshot, the latest time its content carries. A stall warning is not life.
   */
  lastEventAt: number | null;
};

export const initialLive: LiveState = { tree: null, seq: 0, replied: {}, lastEventAt: null };

function copyView(view: SessionView): SessionView {
  return {
    ...view,
    turns: view.turns.map((t) => ({ ...t })),
    messages: { ...view.messages },
    parts: { ...view.parts },
    permissions: { ...view.permissions },
    questions: { ...view.questions },
  };
}

export function applyBatch(live: LiveState, events: SessionEvent[], receivedAt = Date.now()): LiveState {
  let { tree, seq, replied, lastEventAt } = live;
  // What this batch already owns (copied or freshly built), so each is copied at most once.
  let ownsTree = false;
  const ownedViews = new Set<string>();
  const ownedParts = new Set<string>();
  let ownsAll = false;

  for (const event of events) {
    if (event.kind === "snapshot") {
      tree = structuredClone(event.state);
      seq = event.seq;
      lastEventAt = latestActivity(tree);
      ownsAll = true;
      continue;
    }
    if (event.seq <= seq) continue;
    if (event.kind !== "turn.stalled") lastEventAt = receivedAt;
    if (outsideWindow(tree?.sessions[event.sessionId], event)) {
      seq = event.seq;
      continue;
    }
    if (!tree) {
      tree = emptySnapshot(event.rootSessionId);
      ownsAll = true;
    }
    if (!ownsAll && !ownsTree) {
      tree = { ...tree, sessions: { ...tree.sessions } };
      ownsTree = true;
    }
    let view = tree.sessions[event.sessionId];
    if (view && !ownsAll && !ownedViews.has(event.sessionId)) {
      view = tree.sessions[event.sessionId] = copyView(view);
      ownedViews.add(event.sessionId);
    }
    if (event.kind === "part.delta" && view?.parts[event.partId] && !ownsAll && !ownedParts.has(event.partId)) {
      view.parts[event.partId] = { ...view.parts[event.partId]! };
      ownedParts.add(event.partId);
    }
    replied = rememberReply(replied, view, event);
    tree = applyEvent(tree, event);
    seq = event.seq;
  }
  return tree === live.tree && seq === live.seq && replied === live.replied ? live : { tree, seq, replied, lastEventAt };
}

/** The latest time a tree's content carries: messages created or completed, parts started or ended. */
function latestActivity(tree: SnapshotState): number | null {
  let latest: number | null = null;
  const see = (at: number | undefined) => {
    if (at !== undefined && (latest === null || at > latest)) latest = at;
  };
  for (const view of Object.values(tree.sessions)) {
    for (const m of Object.values(view.messages)) [m.createdAt, m.completedAt].forEach(see);
    for (const p of Object.values(view.parts)) [p.startedAt, p.endedAt, p.tool?.startedAt, p.tool?.endedAt].forEach(see);
  }
  return latest;
}

/** The fold drops a request once answered; the view keeps showing what was asked and the answer. */
function rememberReply(
  replied: LiveState["replied"],
  view: SessionView | undefined,
  event: SessionEvent,
): LiveState["replied"] {
  if (event.kind === "permission.replied") {
    const request = view?.permissions[event.requestId];
    return {
      ...replied,
      [event.requestId]: { requestId: event.requestId, kind: "permission", reply: event.reply, request, sessionId: event.sessionId },
    };
  }
  if (event.kind === "question.replied" || event.kind === "question.rejected") {
    const request = view?.questions[event.requestId];
    return {
      ...replied,
      [event.requestId]: {
        requestId: event.requestId,
        kind: "question",
        reply: event.kind === "question.rejected" ? "reject" : "answer",
        answers: event.kind === "question.replied" ? event.answers : undefined,
        request,
        sessionId: event.sessionId,
      },
    };
  }
  return replied;
}
