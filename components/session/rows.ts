import type { ErrorInfo } from "~/server/stream/entities";
import { ABORTED_ERROR } from "~/server/stream/error-text";
import { isTurnOpen } from "./status";
import type { MessageEntry, PartEntry, PermissionEntry, QuestionEntry, RequestAnswer, SessionView } from "./types";

// A conversation as a flat list of rows, the unit a (virtualized) list renders and measures.
// Pure: the same rows come out of a live fold and of an archived snapshot.

export type Row =
  // automatic: every part of the prompt is the runner's own (opencode continuing by itself).
  // unanswered: "queued" while an earlier turn still runs (opencode answers it next); "dropped"
  // when the turn before it was aborted, which ends the run before it reached this prompt.
  | {
      kind: "prompt";
      key: string;
      turnIndex: number;
      message?: MessageEntry;
      parts: PartEntry[];
      automatic: boolean;
      unanswered?: Unanswered;
      reverted?: true;
    }
  // Before the first turn a revert undid: what follows was undone on the runner.
  | { kind: "reverted"; key: string; fromTurn: number }
  /** `waiting`: the tool call waits on a request of its own, not running yet. */
  | { kind: "part"; key: string; part: PartEntry; message: MessageEntry; waiting?: "permission" | "question" }
  | { kind: "message-error"; key: string; message: MessageEntry }
  | { kind: "stalled"; key: string; turnIndex: number }
  | { kind: "permission"; key: string; request: PermissionEntry }
  | { kind: "question"; key: string; request: QuestionEntry }
  | { kind: "answer"; key: string; answer: RequestAnswer }
  // How the latest turn ended when no message of it says so (a failure before any answer, an
  // early abort, a runner that died).
  | { kind: "session-error"; key: string; error: ErrorInfo };

// Bookkeeping parts with nothing for a person to read.
const HIDDEN_PART_TYPES = new Set(["step-start", "snapshot"]);

function isVisible(part: PartEntry): boolean {
  if (HIDDEN_PART_TYPES.has(part.type)) return false;
  if (part.data.synthetic === true || part.data.ignored === true) return false;
  if ((part.type === "text" || part.type === "reasoning") && !part.text?.trim() && part.endedAt) return false;
  return true;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The tool call a request (or the request an answer quotes) was asked for, if it names one: where
 * it attaches, right after that call (else at the end).
 */
export function callIdOf(request: { tool?: { callId: string } } | Record<string, unknown> | undefined): string | undefined {
  const tool = (request as { tool?: unknown } | undefined)?.tool;
  return tool && typeof tool === "object" && "callId" in tool && typeof tool.callId === "string" ? tool.callId : undefined;
}

type Unanswered = "queued" | "dropped";
/** Where a turn leaves the prompt after it: still answering, ended, or aborted at a time. */
type TurnEnd = { end: "answering" | "ended" } | { end: "aborted"; at: number };

function turnEnd(last: MessageEntry | undefined): TurnEnd {
  if (!last) return { end: "ended" };
  if (last.error?.name === ABORTED_ERROR) return { end: "aborted", at: last.completedAt ?? Number.POSITIVE_INFINITY };
  return { end: last.completedAt || last.error ? "ended" : "answering" };
}

/**
 * A prompt with no answer: queued behind a turn that still runs, or dropped by the abort of
 * the turn before it when it was sent before that abort (one sent after it simply starts).
 */
function unansweredAfter(before: TurnEnd, prompt: MessageEntry | undefined, active: boolean): Unanswered | undefined {
  if (before.end === "answering" && active) return "queued";
  if (before.end === "aborted" && (prompt?.createdAt ?? 0) < before.at) return "dropped";
  return undefined;
}

export function conversationRows(view: SessionView, answers: RequestAnswer[] = []): Row[] {
  const partsByMessage = new Map<string, PartEntry[]>();
  for (const part of Object.values(view.parts)) {
    const list = partsByMessage.get(part.messageId);
    if (list) list.push(part);
    else partsByMessage.set(part.messageId, [part]);
  }
  for (const list of partsByMessage.values()) list.sort(byId);

  const messagesByTurn = new Map<string, MessageEntry[]>();
  for (const message of Object.values(view.messages)) {
    const list = messagesByTurn.get(message.turnId);
    if (list) list.push(message);
    else messagesByTurn.set(message.turnId, [message]);
  }
  for (const list of messagesByTurn.values()) list.sort(byId);

  const requestsByCall = new Map<string, Row[]>();
  const unattached: Row[] = [];
  const attach = (callId: string | undefined, row: Row) => {
    const list = callId ? requestsByCall.get(callId) : undefined;
    if (callId && list) list.push(row);
    else if (callId) requestsByCall.set(callId, [row]);
    else unattached.push(row);
  };
  for (const answer of answers) attach(callIdOf(answer.request), { kind: "answer", key: `answer:${answer.requestId}`, answer });
  for (const request of Object.values(view.permissions).sort(byId)) {
    attach(request.tool?.callId, { kind: "permission", key: `permission:${request.id}`, request });
  }
  for (const request of Object.values(view.questions).sort(byId)) {
    attach(request.tool?.callId, { kind: "question", key: `question:${request.id}`, request });
  }

  const rows: Row[] = [];
  const turns = [...view.turns].sort((a, b) => a.index - b.index);
  const known = new Set(turns.map((t) => t.id));
  // Messages of a turn the view has not seen start (rare: a partial snapshot) still show.
  const orphanTurns = [...messagesByTurn.keys()].filter((id) => !known.has(id)).sort();
  const order = [
    ...turns.map((t) => ({ id: t.id, index: t.index, userMessageId: t.userMessageId, stalled: t.stalled, reverted: t.reverted, failed: t.failed })),
    ...orphanTurns.map((id) => ({ id, index: 0, userMessageId: undefined, stalled: false, reverted: undefined, failed: undefined })),
  ];

  const active = isTurnOpen(view.status);
  let before: TurnEnd = { end: "ended" };
  for (const turn of order) {
    const messages = messagesByTurn.get(turn.id) ?? [];
    const user = turn.userMessageId ? view.messages[turn.userMessageId] : undefined;
    const replies = messages.filter((m) => m.role === "assistant");
    const unanswered = replies.length > 0 ? undefined : unansweredAfter(before, user, active);
    // A prompt left waiting passes on what it waited for (the abort, or the turn still running).
    if (!unanswered) before = turnEnd(replies.at(-1));
    if (turn.reverted && !rows.some((r) => r.kind === "reverted")) rows.push({ kind: "reverted", key: `reverted:${turn.id}`, fromTurn: turn.index });
    // A windowed live view that starts inside this turn does not hold its prompt.
    if (turn.userMessageId && (user || !view.window)) {
      const all = partsByMessage.get(turn.userMessageId) ?? [];
      const parts = all.filter(isVisible);
      rows.push({
        kind: "prompt",
        key: `prompt:${turn.id}`,
        turnIndex: turn.index,
        message: user,
        parts,
        automatic: all.length > 0 && parts.length === 0,
        ...(unanswered ? { unanswered } : {}),
        ...(turn.reverted ? { reverted: true as const } : {}),
      });
    }
    for (const message of messages) {
      if (message.role !== "assistant") continue;
      for (const part of (partsByMessage.get(message.id) ?? []).filter(isVisible)) {
        const callId = part.tool?.callId;
        const requests = (callId && requestsByCall.get(callId)) || [];
        const waiting = part.tool?.status === "running" || part.tool?.status === "pending" ? requests.find((r) => r.kind === "permission" || r.kind === "question")?.kind : undefined;
        rows.push({ kind: "part", key: `part:${part.id}`, part, message, ...(waiting === "permission" || waiting === "question" ? { waiting } : {}) });
        if (callId) {
          rows.push(...requests);
          requestsByCall.delete(callId);
        }
      }
      if (message.error) rows.push({ kind: "message-error", key: `error:${message.id}`, message });
    }
    if (turn.stalled) rows.push({ kind: "stalled", key: `stalled:${turn.id}`, turnIndex: turn.index });
    // An earlier turn's bad end that none of its answers says (aborted while the model retried).
    if (turn.failed && !tells(replies, turn.failed)) rows.push({ kind: "session-error", key: `failed:${turn.id}`, error: turn.failed });
  }
  // Requests whose tool call is not (yet) in view go last, where the reader is.
  for (const list of requestsByCall.values()) rows.push(...list);
  rows.push(...unattached);
  // Said once: the latest answer that failed (or was aborted) already says it. Prompts an abort
  // dropped come after that answer and have none.
  const abortedEnd = view.error?.name === ABORTED_ERROR;
  const lastAnswered = [...order].reverse().find((t) => (messagesByTurn.get(t.id) ?? []).some((m) => m.role === "assistant"));
  const lastAnswers = lastAnswered ? (messagesByTurn.get(lastAnswered.id) ?? []) : [];
  const ended = view.status === "error" || abortedEnd;
  if (view.error && ended && !tells(lastAnswers, view.error)) rows.push({ kind: "session-error", key: "session-error", error: view.error });
  return rows;
}

/** Whether answers already say how their turn ended: one failed the same way (aborted, or not). */
function tells(answers: MessageEntry[], end: ErrorInfo): boolean {
  const aborted = end.name === ABORTED_ERROR;
  return answers.some((m) => m.error && (m.error.name === ABORTED_ERROR) === aborted);
}

/** Rows split where each prompt starts its turn (turn 0: rows before any prompt), for views that anchor turns. */
export function rowsByTurn(rows: Row[]): { turnIndex: number; rows: Row[] }[] {
  const turns: { turnIndex: number; rows: Row[] }[] = [];
  for (const row of rows) {
    if (row.kind === "prompt" || turns.length === 0) turns.push({ turnIndex: row.kind === "prompt" ? row.turnIndex : 0, rows: [] });
    turns.at(-1)!.rows.push(row);
  }
  return turns;
}
