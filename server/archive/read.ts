import type { Tx } from "~/server/db";
import type { Message, Part, PrismaClient, Session, SessionRelation, ToolSpan, Turn } from "~/server/generated/prisma/client";
import type { ErrorInfo, Tokens } from "~/server/stream/entities";
import { ArchiveError, assertSessionId } from "./errors";
import { readStandIns } from "./stand-ins";
import { answersIn, type StoredAnswer } from "~/server/store/request-answers";

// The read side: one whole archived tree, loaded in one repeatable-read transaction (so a
// reader sees the archive before or after a sync, never half of one), assembled into plain
// data for the read-only views, the JSON and HTML exports and the fork transcript.

/** A part's tool call: its ToolSpan row; `childSessionId` is the archive row of the sub-agent it spawned. */
export type ArchivedToolCall = Omit<ToolSpan, "id" | "sessionId" | "partId" | "turnId">;

export type ArchivedPart = {
  id: string;
  opencodeId: string;
  type: string;
  text: string | null;
  data: Record<string, unknown>;
  startedAt: Date | null;
  endedAt: Date | null;
  tool: ArchivedToolCall | null;
};

export type ArchivedMessage = {
  id: string;
  opencodeId: string;
  role: string;
  agent: string | null;
  providerId: string | null;
  modelId: string | null;
  usage: Tokens;
  cost: number;
  error: ErrorInfo | null;
  createdAt: Date;
  completedAt: Date | null;
  parts: ArchivedPart[];
};

/** A turn's own columns (revertedAt: set while reverted, and kept once a prompt made the revert permanent). */
export type TurnFields = Pick<Turn, "id" | "index" | "userMessageId" | "status" | "error" | "revertedAt" | "startedAt" | "endedAt">;

export type ArchivedTurn = TurnFields & { messages: ArchivedMessage[] };

export type ArchivedSession = {
  id: string;
  opencodeId: string;
  /** Row id of the parent (sub-agents), null for the root. */
  parentId: string | null;
  /** The parent's tool call and turn that spawned this sub-agent, when known. */
  spawnedBy: { toolCallId: string | null; turnId: string | null } | null;
  /** Set when a revert of the turn that spawned it (or an ancestor) reverted it too. */
  revertedAt: Date | null;
  title: string;
  directory: string;
  agent: string | null;
  providerId: string | null;
  modelId: string | null;
  status: string;
  createdAt: Date;
  lastActivityAt: Date;
  archiveState: string;
  archiveError: string | null;
  archiveVersion: number;
  lastArchivedAt: Date | null;
  deletedAt: Date | null;
  turns: ArchivedTurn[];
  /** Row ids of direct sub-agents, oldest first. */
  children: string[];
  /** Who answered this session's permission and question requests (server/store/request-answers.ts). */
  answers: ArchivedAnswer[];
};

/** A recorded answer, with the opencode id of the session that asked (as the live view has it). */
export type ArchivedAnswer = StoredAnswer & { sessionId: string };

export type ArchivedTree = {
  /** The session that was asked for (the root or any descendant). */
  requestedId: string;
  root: ArchivedSession;
  sessions: Record<string, ArchivedSession>;
  runner: { id: string; name: string; kind: string; status: string };
  /** The session (and turn) this tree was forked from, if it is a fork. */
  forkedFrom: { sessionId: string; title: string; turnIndex: number | null } | null;
  forks: { sessionId: string; title: string; turnIndex: number | null }[];
};

/** Where a session id stands, without loading the tree (pages and routes check this first). */
const statusFields = {
  id: true,
  rootId: true,
  opencodeId: true,
  runnerId: true,
  directory: true,
  deletedAt: true,
  purgedAt: true,
  archiveState: true,
  archiveError: true,
  lastArchivedAt: true,
  archiveVersion: true,
} as const;

export async function archiveStatus(db: PrismaClient, rawId: string) {
  const id = assertSessionId(rawId);
  const row = await db.session.findUnique({ where: { id }, select: statusFields });
  if (!row) throw new ArchiveError("unknown", `No session ${id}.`);
  const rootId = row.rootId ?? row.id;
  const root = rootId === row.id ? row : ((await db.session.findUnique({ where: { id: rootId }, select: statusFields })) ?? row);
  const purgedAt = row.purgedAt ?? root.purgedAt;
  if (purgedAt) throw purgedError(id, purgedAt);
  return { id: row.id, rootId, root, session: row };
}

/** What every view of a purged tree says (its session page, its traces). */
export function purgedError(id: string, purgedAt: Date): ArchiveError {
  return new ArchiveError("purged", `The archive of session ${id} was purged on ${purgedAt.toISOString().slice(0, 10)}.`);
}

export type LoadOptions = {
  /** Refuse with a "syncing" error (503, retry) while a sync of the tree is writing. */
  refuseWhileSyncing?: boolean;
  /** "stand-ins": parts without their content (server/archive/stand-ins.ts), for the HTML export. */
  parts?: "whole" | "stand-ins";
};

/** The whole tree the session belongs to. Throws ArchiveError: malformed_id, unknown, purged, syncing. */
export async function loadArchivedTree(db: PrismaClient, rawId: string, options: LoadOptions = {}): Promise<ArchivedTree> {
  const status = await archiveStatus(db, rawId);
  if (options.refuseWhileSyncing && status.root.archiveState === "syncing") {
    throw new ArchiveError("syncing", "The archive of this session is being synced right now; try again in a few seconds.", 2);
  }
  const rows = await db.$transaction((tx) => readTreeRows(tx, status, options.parts ?? "whole"), { isolationLevel: "RepeatableRead", timeout: 60_000, maxWait: 60_000 });
  return assembleTree(status.id, status.rootId, rows);
}

type Status = Awaited<ReturnType<typeof archiveStatus>>;
/** The tree's sessions, relations, turns and runner (cheap: no conversation content). */
export async function readTreeOutline(tx: Tx, status: Status) {
  const sessions = await tx.session.findMany({ where: { rootId: status.rootId }, orderBy: [{ createdAt: "asc" }, { opencodeId: "asc" }] });
  const ids = sessions.map((s) => s.id);
  const [relations, turns, runner, boundaries] = await Promise.all([
    tx.sessionRelation.findMany({
      where: { OR: [{ childId: { in: ids } }, { parentId: { in: ids } }] },
      include: { turn: { select: { index: true } }, parent: { select: { title: true } }, child: { select: { title: true } } },
    }),
    tx.turn.findMany({ where: { sessionId: { in: ids } }, orderBy: { index: "asc" } }),
    tx.runner.findUniqueOrThrow({ where: { id: sessions[0]?.runnerId ?? status.root.runnerId }, select: { id: true, name: true, kind: true, status: true } }),
    tx.sessionBoundary.findMany({ where: { sessionId: { in: ids } }, select: { sessionId: true, requests: true } }),
  ]);
  return { sessions, relations, turns, runner, boundaries };
}

/**
 * Messages, parts and tool spans: of the whole tree, or of the given messages and parts and
 * whole sessions only (`scope`: a page of a long session and the sub-agents it shows).
 */
export async function readTreeContent(tx: Tx, sessionIds: string[], scope?: { messageIds: string[]; partIds: string[]; sessionIds: string[] }) {
  const sessions = { sessionId: { in: scope?.sessionIds ?? sessionIds } };
  const of = <T>(listed: T) => (scope ? { OR: [listed, sessions] } : sessions);
  const [messages, parts, spans] = await Promise.all([
    tx.message.findMany({ where: of({ id: { in: scope?.messageIds ?? [] } }), orderBy: [{ createdAt: "asc" }, { opencodeId: "asc" }] }),
    tx.part.findMany({ where: of({ id: { in: scope?.partIds ?? [] } }), orderBy: { opencodeId: "asc" } }),
    tx.toolSpan.findMany({ where: of({ partId: { in: scope?.partIds ?? [] } }) }),
  ]);
  return { messages, parts, spans };
}

async function readTreeRows(tx: Tx, status: Status, parts: "whole" | "stand-ins"): Promise<Rows> {
  const outline = await readTreeOutline(tx, status);
  const ids = outline.sessions.map((s) => s.id);
  return { ...outline, ...(await (parts === "whole" ? readTreeContent(tx, ids) : readStandIns(tx, ids))) };
}

/** What `assembleTree` is built from: the rows as the reads above select them (Prisma's own types). */
export type Rows = {
  sessions: Pick<Session, "id" | "opencodeId" | "title" | "directory" | "agent" | "providerId" | "modelId" | "status" | "revertedAt" | "createdAt" | "lastActivityAt" | "archiveState" | "archiveError" | "archiveVersion" | "lastArchivedAt" | "deletedAt">[];
  relations: (Pick<SessionRelation, "parentId" | "childId" | "kind" | "toolCallId" | "turnId" | "createdAt"> & {
    turn: { index: number } | null;
    parent: { title: string };
    child: { title: string };
  })[];
  turns: (TurnFields & { sessionId: string })[];
  messages: Omit<Message, "data" | "syncFingerprint" | "syncVerifiedAt" | "priceVersion" | "costSource">[];
  parts: Pick<Part, "id" | "messageId" | "opencodeId" | "type" | "text" | "data" | "startedAt" | "endedAt">[];
  spans: Omit<ToolSpan, "id" | "sessionId" | "turnId">[];
  runner: ArchivedTree["runner"];
  /** The sessions' stored requests, where their answers are (absent: none read). */
  boundaries?: { sessionId: string; requests: unknown }[];
};

/** Pure: flat rows of one tree → the nested tree. */
export function assembleTree(requestedId: string, rootId: string, rows: Rows): ArchivedTree {
  const inTree = new Set(rows.sessions.map((s) => s.id));
  const turnsBySession = group(assembleTurns(rows, inTree), (t) => t.sessionId);
  const subagentOf = new Map(rows.relations.filter((r) => r.kind === "subagent" && inTree.has(r.childId)).map((r) => [r.childId, r]));
  const requestsOf = new Map((rows.boundaries ?? []).map((b) => [b.sessionId, b.requests]));

  const sessions: Record<string, ArchivedSession> = {};
  for (const s of rows.sessions) {
    const relation = s.id === rootId ? undefined : subagentOf.get(s.id);
    sessions[s.id] = {
      ...s,
      parentId: relation?.parentId ?? null,
      spawnedBy: relation ? { toolCallId: relation.toolCallId, turnId: relation.turnId } : null,
      children: [],
      answers: answersIn(requestsOf.get(s.id)).map((answer) => ({ ...answer, sessionId: s.opencodeId })),
      turns: (turnsBySession.get(s.id) ?? []).map(({ sessionId: _, ...turn }) => turn),
    };
  }
  for (const session of Object.values(sessions)) {
    if (session.parentId && sessions[session.parentId]) sessions[session.parentId]!.children.push(session.id);
  }
  const root = sessions[rootId];
  if (!root) throw new ArchiveError("unknown", `No archived session ${rootId}.`);
  const fork = (r: Rows["relations"][number], id: string, title: string) => ({ sessionId: id, title, turnIndex: r.turn?.index ?? null });
  const forkedFrom = rows.relations.find((r) => r.kind === "fork" && r.childId === rootId);
  return {
    requestedId,
    root,
    sessions,
    runner: rows.runner,
    forkedFrom: forkedFrom ? fork(forkedFrom, forkedFrom.parentId, forkedFrom.parent.title) : null,
    forks: rows.relations.filter((r) => r.kind === "fork" && inTree.has(r.parentId)).map((r) => fork(r, r.childId, r.child.title)),
  };
}

/** Pure: turn, message, part and span rows → the turns with their messages and parts, in the rows' order. */
export function assembleTurns(rows: Pick<Rows, "turns" | "messages" | "parts" | "spans">, inTree: Set<string>): (ArchivedTurn & { sessionId: string })[] {
  const spans = new Map(rows.spans.map((s) => [s.partId, s]));
  const partsByMessage = group(rows.parts, (p) => p.messageId);
  const messagesByTurn = group(rows.messages, (m) => m.turnId);
  return rows.turns.map((t) => ({
    id: t.id,
    sessionId: t.sessionId,
    index: t.index,
    userMessageId: t.userMessageId,
    status: t.status,
    error: t.error,
    revertedAt: t.revertedAt,
    startedAt: t.startedAt,
    endedAt: t.endedAt,
    messages: (messagesByTurn.get(t.id) ?? []).map((m) => ({
      id: m.id,
      opencodeId: m.opencodeId,
      role: m.role,
      agent: m.agent,
      providerId: m.providerId,
      modelId: m.modelId,
      usage: { input: m.tokensInput, output: m.tokensOutput, reasoning: m.tokensReasoning, cacheRead: m.tokensCacheRead, cacheWrite: m.tokensCacheWrite },
      cost: m.cost,
      error: errorOf(m.error),
      createdAt: m.createdAt,
      completedAt: m.completedAt,
      parts: (partsByMessage.get(m.id) ?? []).map((p) => archivedPart(p, spans.get(p.id), inTree)),
    })),
  }));
}

/** A part row and its tool span (tool parts) as the views read them; a child outside the tree is no link. */
export function archivedPart(p: Rows["parts"][number], span: Rows["spans"][number] | undefined, inTree: Set<string>): ArchivedPart {
  return {
    id: p.id,
    opencodeId: p.opencodeId,
    type: p.type,
    text: p.text,
    data: (p.data ?? {}) as Record<string, unknown>,
    startedAt: p.startedAt,
    endedAt: p.endedAt,
    tool: span
      ? {
          callId: span.callId,
          tool: span.tool,
          title: span.title,
          status: span.status,
          input: span.input,
          output: span.output,
          outputTruncated: span.outputTruncated,
          outputBytes: span.outputBytes,
          error: span.error,
          startedAt: span.startedAt,
          endedAt: span.endedAt,
          durationMs: span.durationMs,
          childSessionId: span.childSessionId && inTree.has(span.childSessionId) ? span.childSessionId : null,
        }
      : null,
  };
}

function errorOf(value: unknown): ArchivedMessage["error"] {
  if (!value || typeof value !== "object") return null;
  const raw = value as { name?: unknown; message?: unknown; data?: unknown };
  const data = raw.data && typeof raw.data === "object" ? (raw.data as Record<string, unknown>) : undefined;
  const message = typeof raw.message === "string" ? raw.message : typeof data?.message === "string" ? data.message : undefined;
  return { name: typeof raw.name === "string" ? raw.name : "Error", message, data };
}

function group<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
