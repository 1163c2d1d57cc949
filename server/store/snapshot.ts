import type { Prisma, PrismaClient } from "~/server/generated/prisma/client";
import { RawMessageInfo, RawPart } from "~/server/stream/raw-event";
import type { SessionEvent } from "~/server/stream/session-event";
import type { SessionView, SnapshotState } from "~/server/stream/snapshot-state";
import { toMessageInfo, toPartInfo } from "~/server/stream/to-entities";
import { PermissionRequest, QuestionRequest, Revert, Todo, turnIdOf } from "~/server/stream";
import { z } from "zod";
import { boundaryOfRow } from "./session-boundary";
import { rawPartData } from "./part-data";
import { turnFailure } from "~/server/stream/error-text";

type Snapshot = Extract<SessionEvent, { kind: "snapshot" }>;

/** A pending request as SessionBoundary.requests keeps it (beside answers, which are not pending). */
export const StoredRequest = z.union([
  PermissionRequest.extend({ type: z.literal("permission"), turnId: z.string().optional() }),
  QuestionRequest.extend({ type: z.literal("question"), turnId: z.string().optional() }),
]);

/**
 * The materialized state of a session tree as the archive holds it: what a client that is
 * further behind than the hub's buffer (or brand new) receives before the live tail.
 * Complete up to the root's lastSeq because batches commit events and lastSeq together.
 */
export async function loadSnapshot(db: PrismaClient, rootRowId: string, options: SnapshotOptions = {}): Promise<Snapshot> {
  // Reverted sub-agents leave the live view (the archive keeps them). One consistent read: the
  // writer commits while this reads, and parts newer than the root's lastSeq would have the
  // replayed deltas applied twice.
  const sessions = await db.$transaction(
    (tx) => tx.session.findMany({ where: { rootId: rootRowId, revertedAt: null }, include: treeInclude(options.windowParts) }),
    { isolationLevel: "RepeatableRead", timeout: 60_000, maxWait: 60_000 },
  );
  const root = sessions.find((s) => s.id === rootRowId);
  if (!root) throw new Error(`No archived session ${rootRowId}`);
  const state: SnapshotState = { rootSessionId: root.opencodeId, sessions: {} };
  for (const row of sessions) state.sessions[row.opencodeId] = toView(row);
  return { kind: "snapshot", rootSessionId: root.opencodeId, sessionId: root.opencodeId, seq: root.lastSeq, state };
}

/** Parts of a session's tail: a screen of rows. */
export const TAIL_PARTS = 24;

/**
 * The end of one session's conversation: its latest `parts` parts and the messages they belong
 * to (with every turn, as a window). What the live page shows before its stream's snapshot
 * comes: a read of a few rows, where the snapshot holds the tree's outline.
 */
export async function loadSessionTail(db: PrismaClient, sessionRowId: string, parts = TAIL_PARTS): Promise<SessionView | null> {
  const row = await db.session.findUnique({ where: { id: sessionRowId }, include: { ...treeInclude(parts), messages: false } });
  if (!row || row.purgedAt) return null;
  const messages = await db.message.findMany({ where: { id: { in: [...new Set(row.parts.map((p) => p.messageId))] } }, orderBy: { opencodeId: "asc" } });
  return toView({ ...row, messages });
}

export type SnapshotOptions = {
  /**
   * Each session's latest parts only, at most this many: a long session's viewer gets the end
   * of the conversation and its outline (every turn and message) at once, and pages in the rest.
   */
  windowParts?: number;
};

// Newest first, so a window is the first `take` parts; views are keyed by id, so order is free.
const treeInclude = (windowParts: number | undefined) =>
  ({
    turns: { orderBy: { index: "asc" } },
    messages: { orderBy: { opencodeId: "asc" } },
    parts: { orderBy: { opencodeId: "desc" }, take: windowParts },
    boundary: { include: { currentTurn: { select: { userMessageId: true } } } },
    parents: { where: { kind: "subagent" }, include: { parent: { select: { opencodeId: true } } } },
    _count: { select: { parts: true } },
  }) satisfies Prisma.SessionInclude;

type Loaded = Prisma.SessionGetPayload<{ include: ReturnType<typeof treeInclude> }>;

/** A stored part as views hold it; undefined when its data is not a part. */
export function partEntry(row: { data: Prisma.JsonValue; text: string | null }, turnId: string): SessionView["parts"][string] | undefined {
  const raw = RawPart.safeParse(rawPartData(row));
  if (!raw.success) return undefined;
  return { ...toPartInfo(raw.data), turnId };
}

/** How the latest turn ended badly, as the live fold holds it after `session.error`. */
function endError(row: Loaded): SessionView["error"] {
  const last = row.turns.at(-1);
  if (row.status === "error") return { name: "Error", message: row.statusReason ?? last?.error ?? undefined };
  return last?.status === "aborted" ? turnFailure(last) : undefined;
}

function toView(row: Loaded): SessionView {
  // Rows reference turns by row id; events by `<session>:<userMessage>`.
  const turnIds = new Map(row.turns.map((t) => [t.id, turnIdOf(row.opencodeId, t.userMessageId)]));
  const turns = row.turns.map((t, i) => {
    // The latest turn's end is the view's `error` (endError), as in the live fold.
    const failed = i < row.turns.length - 1 ? turnFailure(t) : undefined;
    return {
      id: turnIdOf(row.opencodeId, t.userMessageId),
      index: t.index,
      userMessageId: t.userMessageId,
      stalled: t.status === "stalled",
      ...(t.revertedAt ? { reverted: true as const } : {}),
      ...(failed ? { failed } : {}),
    };
  });
  const view: SessionView = {
    sessionId: row.opencodeId,
    session: {
      id: row.opencodeId,
      parentId: row.parents[0]?.parent.opencodeId ?? null,
      title: row.title,
      directory: row.directory,
      agent: row.agent ?? undefined,
      providerId: row.providerId ?? undefined,
      modelId: row.modelId ?? undefined,
      tokens: {
        input: row.tokensInput,
        output: row.tokensOutput,
        reasoning: row.tokensReasoning,
        cacheRead: row.tokensCacheRead,
        cacheWrite: row.tokensCacheWrite,
      },
      cost: row.cost,
      revert: Revert.nullable().catch(null).parse(row.revert ?? null),
      createdAt: row.createdAt.getTime(),
      updatedAt: row.updatedAt.getTime(),
    },
    status: row.status,
    error: endError(row),
    turns,
    messages: {},
    parts: {},
    todos: z.array(Todo).catch([]).parse(row.boundary?.todos ?? []),
    boundary: row.boundary ? boundaryOfRow(row.boundary, row.opencodeId) : null,
    permissions: {},
    questions: {},
  };
  for (const m of row.messages) {
    const info = RawMessageInfo.safeParse(m.data);
    if (info.success) view.messages[m.opencodeId] = { ...toMessageInfo(info.data), turnId: turnIds.get(m.turnId) ?? "" };
  }
  for (const p of row.parts) {
    const part = partEntry(p, turnIds.get(p.turnId) ?? "");
    if (part) view.parts[p.opencodeId] = part;
  }
  const earliest = row.parts.at(-1);
  const older = row._count.parts - row.parts.length;
  const boundary = earliest && view.parts[earliest.opencodeId];
  if (older > 0 && boundary) view.window = { partId: boundary.id, messageId: boundary.messageId, older };
  // Entry by entry: the same array also keeps answers (request-answers.ts), which are not pending.
  const stored = Array.isArray(row.boundary?.requests) ? row.boundary.requests : [];
  for (const entry of stored) {
    const parsed = StoredRequest.safeParse(entry);
    if (!parsed.success) continue;
    const { type, ...rest } = parsed.data;
    if (type === "permission") view.permissions[rest.id] = rest as SessionView["permissions"][string];
    else view.questions[rest.id] = rest as SessionView["questions"][string];
  }
  return view;
}
