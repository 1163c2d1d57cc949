import type { SessionEvent } from "./session-event";
import type { ErrorInfo } from "./entities";
import { ABORTED_ERROR } from "./error-text";
import { boundaryOf } from "./session-boundary";
import type { SessionView, SnapshotState } from "./snapshot-state";

// The fold of SessionEvents into the materialized state of a tree: what a snapshot carries,
// and what a live view renders. Applying a snapshot of seq k and then events k+1.. gives the
// same state as applying every event: that is what makes "snapshot, then live tail" lossless.

export function emptySnapshot(rootSessionId: string): SnapshotState {
  return { rootSessionId, sessions: {} };
}

/** Applies one event in place (cheap for a long-lived server copy) and returns the state. */
export function applyEvent(state: SnapshotState, event: SessionEvent): SnapshotState {
  if (event.kind === "snapshot") return structuredClone(event.state);
  if (event.kind === "session.deleted") {
    delete state.sessions[event.sessionId];
    return state;
  }
  const view = (state.sessions[event.sessionId] ??= emptyView(event.sessionId));
  switch (event.kind) {
    case "session.upserted":
      view.session = event.session;
      break;
    case "session.status":
      // opencode reports a failure, then idle: the session stays failed until its next turn.
      view.status = event.status === "idle" && view.status === "error" ? "error" : event.status;
      view.retry = event.retry;
      if (event.status !== "stalled") for (const turn of view.turns) turn.stalled = false;
      if (event.status === "idle") {
        view.boundary = boundaryAt(view, event.seq, view.status);
        // Its turn is over, aborted or not: nobody can answer what it asked (as the store does).
        view.permissions = {};
        view.questions = {};
      }
      break;
    case "session.error":
      view.error = event.error;
      if (event.error?.name !== ABORTED_ERROR) view.status = "error";
      break;
    case "session.compacted":
      break;
    case "turn.started":
      if (!view.turns.some((t) => t.id === event.turnId)) {
        // The latest turn's bad end stays with it (the store's turn row keeps its status).
        const latest = view.turns.reduce<SessionView["turns"][number] | undefined>((a, t) => (a && a.index > t.index ? a : t), undefined);
        if (latest && view.error) latest.failed = view.error;
        view.turns.push({ ...event.turn, stalled: false });
      }
      view.error = undefined;
      view.boundary = boundaryAt(view, event.seq, "running");
      break;
    case "turn.stalled":
      for (const turn of view.turns) if (turn.id === event.turnId) turn.stalled = true;
      view.status = "stalled";
      break;
    case "message.upserted":
      view.messages[event.message.id] = { ...event.message, turnId: event.turnId };
      // A reconcile shows the failed answer, not the session.error: the same end as the store's.
      if (failsLatestTurn(view, event.turnId, event.message.error) && view.status === "idle") {
        view.status = "error";
        view.error = event.message.error;
      }
      break;
    case "message.removed":
      removeMessage(view, event.messageId);
      break;
    case "part.upserted":
      view.parts[event.part.id] = { ...event.part, turnId: event.turnId };
      break;
    case "part.delta": {
      // A delta for a part not seen yet is dropped: its next upsert carries the full text.
      const part = view.parts[event.partId];
      if (part && event.field === "text") part.text = (part.text ?? "") + event.delta;
      break;
    }
    case "part.removed":
      delete view.parts[event.partId];
      break;
    case "permission.asked":
      view.permissions[event.request.id] = { ...event.request, turnId: event.turnId };
      view.boundary ??= boundaryAt(view, event.seq, "waiting");
      break;
    case "permission.replied":
      delete view.permissions[event.requestId];
      break;
    case "question.asked":
      view.questions[event.request.id] = { ...event.request, turnId: event.turnId };
      view.boundary ??= boundaryAt(view, event.seq, "waiting");
      break;
    case "question.replied":
    case "question.rejected":
      delete view.questions[event.requestId];
      break;
    case "todo.updated":
      view.todos = event.todos;
      view.boundary ??= boundaryAt(view, event.seq, view.status);
      break;
  }
  return state;
}

/** A snapshot event of `state` as of `seq` (the last event applied to it). */
export function snapshotEvent(state: SnapshotState, seq: number): Extract<SessionEvent, { kind: "snapshot" }> {
  const root = state.rootSessionId;
  return { kind: "snapshot", rootSessionId: root, sessionId: root, seq, state: structuredClone(state) };
}

function emptyView(sessionId: string): SessionView {
  return { sessionId, status: "idle", turns: [], messages: {}, parts: {}, todos: [], boundary: null, permissions: {}, questions: {} };
}

/** The boundary the store writes to the SessionBoundary row at the same event. */
function boundaryAt(view: SessionView, seq: number, status: SessionView["status"]) {
  return boundaryOf({ seq, status, currentTurnId: latestTurn(view)?.id ?? null, messages: Object.values(view.messages), session: view.session });
}

/** The session's latest turn (highest index), the one its status is about. */
export function latestTurn(view: SessionView): SessionView["turns"][number] | undefined {
  return view.turns.reduce<SessionView["turns"][number] | undefined>((a, t) => (!a || t.index > a.index ? t : a), undefined);
}

function failsLatestTurn(view: SessionView, turnId: string, error: ErrorInfo | undefined): boolean {
  if (!error || error.name === ABORTED_ERROR) return false;
  return latestTurn(view)?.id === turnId;
}

function removeMessage(view: SessionView, messageId: string): void {
  const message = view.messages[messageId];
  delete view.messages[messageId];
  for (const [id, part] of Object.entries(view.parts)) if (part.messageId === messageId) delete view.parts[id];
  if (message?.role === "user") view.turns = view.turns.filter((t) => t.userMessageId !== messageId);
}
