import type { SessionView } from "~/server/stream/snapshot-state";
import { turnIdOf } from "~/server/stream/turn-tracker";
import { turnFailure } from "~/server/stream/error-text";
import { RawPart } from "~/server/stream/raw-event";
import { toPartInfo } from "~/server/stream/to-entities";
import type { ArchivedPart, ArchivedSession, ArchivedTurn } from "./read";

// The one place an archived session becomes the read model every conversation view renders
// (`conversationRows` in components/session/rows.ts): the live view, the archived and shared
// views and the HTML export then follow the same rules (hidden and synthetic parts included).
// Keys are opencode ids, as the live fold keys them, so a row has the same key in every view.
// Text and tool fields come from the archive's columns (what a share's redaction rewrote), the
// raw part only as `data`.

const millis = (at: Date | null | undefined) => at?.getTime();

type PartEntry = SessionView["parts"][string];
type MessageEntry = SessionView["messages"][string];

function toolOf(part: ArchivedPart): PartEntry["tool"] {
  const tool = part.tool;
  if (!tool) return undefined;
  const state = (part.data.state ?? {}) as { metadata?: unknown };
  const metadata = state.metadata && typeof state.metadata === "object" ? (state.metadata as Record<string, unknown>) : undefined;
  return {
    callId: tool.callId,
    name: tool.tool,
    status: tool.status as NonNullable<PartEntry["tool"]>["status"],
    input: tool.input && typeof tool.input === "object" ? (tool.input as Record<string, unknown>) : {},
    output: tool.output ?? undefined,
    error: tool.error ?? undefined,
    title: tool.title ?? undefined,
    metadata: tool.outputTruncated ? { ...metadata, truncated: true } : metadata,
    startedAt: millis(tool.startedAt),
    endedAt: millis(tool.endedAt),
  };
}

/** Per-step usage, read from the raw part as the live fold reads it. */
function stepOf(part: ArchivedPart): PartEntry["step"] {
  if (part.type !== "step-finish") return undefined;
  const raw = RawPart.safeParse(part.data);
  return raw.success ? toPartInfo(raw.data).step : undefined;
}

/** An archived part as the read model holds it (`messageId` and `turnId` as the view keys them). */
export function archivedPartEntry(p: ArchivedPart, messageId: string, turnId: string): PartEntry {
  return {
    id: p.opencodeId,
    messageId,
    type: p.type,
    text: p.text ?? undefined,
    startedAt: millis(p.startedAt),
    endedAt: millis(p.endedAt),
    tool: toolOf(p),
    step: stepOf(p),
    data: p.data,
    turnId,
  };
}

/**
 * `turns`: the turns to show (default: all of the session's); the archived view shows the kept
 * ones and, apart, the reverted ones, and a page of a long session only its own. Compared by
 * id: a window of an export reads its turns apart from the session's outline.
 */
export function archivedSessionView(session: ArchivedSession, turns: ArchivedTurn[] = session.turns): SessionView {
  const view: SessionView = {
    sessionId: session.opencodeId,
    status: session.status as SessionView["status"],
    turns: [],
    messages: {},
    parts: {},
    todos: [],
    boundary: null,
    permissions: {},
    questions: {},
  };
  const last = session.turns.at(-1);
  for (const turn of turns) {
    const turnId = turnIdOf(session.opencodeId, turn.userMessageId);
    // The latest turn's end is the view's `error`, below, as in the live fold.
    const failed = turn.id !== last?.id ? turnFailure(turn) : undefined;
    view.turns.push({ id: turnId, index: turn.index, userMessageId: turn.userMessageId, stalled: turn.status === "stalled", ...(failed ? { failed } : {}) });
    for (const m of turn.messages) {
      const message: MessageEntry = {
        id: m.opencodeId,
        role: m.role === "user" ? "user" : "assistant",
        agent: m.agent ?? undefined,
        providerId: m.providerId ?? undefined,
        modelId: m.modelId ?? undefined,
        tokens: m.usage,
        cost: m.cost,
        error: m.error ?? undefined,
        createdAt: millis(m.createdAt),
        completedAt: millis(m.completedAt),
        data: {},
        turnId,
      };
      view.messages[m.opencodeId] = message;
      for (const p of m.parts) view.parts[p.opencodeId] = archivedPartEntry(p, m.opencodeId, turnId);
    }
  }
  // How the session's latest turn ended, when that turn is among those shown.
  if (!last || turns.at(-1)?.id !== last.id) return view;
  if (session.status === "error") view.error = { name: "Error", message: last.error ?? undefined };
  else if (last.status === "aborted") view.error = turnFailure(last);
  return view;
}
