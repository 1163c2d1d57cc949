// Test helpers of the archive (used by its tests and the SIGKILL child process only).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { messagesFromRows, sessionInfoFromRow, todosFromRows, type MessageRow, type PartRow, type SessionRow, type TodoRow } from "./sqlite-source";
import { parentsFirst, type SourceSession, type TreeSnapshot, type TreeSource } from "./source";

export type OpencodeRows = { session: SessionRow[]; message: MessageRow[]; part: PartRow[]; todo: TodoRow[] };

const FIXTURES = path.join(__dirname, "fixtures");

/** Rows of a real opencode 1.18.33 run: a root that spawned a sub-agent that spawned another. */
export function subagentRunRows(): OpencodeRows {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, "opencode-1.18.33-subagent-run.json"), "utf8")) as OpencodeRows;
}

export const SUBAGENT_RUN_ROOT = "ses_df852cf91ffenNiydTgOf6NDrY";

/** Writes an opencode.db with opencode's real schema and the given rows. */
export function writeOpencodeDb(file: string, rows: OpencodeRows): void {
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  try {
    db.exec(fs.readFileSync(path.join(FIXTURES, "opencode-1.18.33-db-schema.sql"), "utf8"));
    db.prepare("INSERT INTO project (id, worktree, time_created, time_updated, sandboxes) VALUES ('global', '/', 0, 0, '[]')").run();
    for (const table of ["session", "message", "part", "todo"] as const) {
      for (const row of rows[table]) {
        const columns = Object.keys(row);
        db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`).run(row);
      }
    }
  } finally {
    db.close();
  }
}

/** The tree the rows hold, in the runner API's shapes (what RunnerSource would return). */
export function snapshotFromRows(rows: OpencodeRows, root: string): TreeSnapshot {
  const sessions: SourceSession[] = rows.session.map((row) => {
    const info = sessionInfoFromRow(row);
    if (row.id === root) delete info.parentID;
    const todos = todosFromRows(rows.todo.filter((t) => t.session_id === row.id));
    return {
      info,
      messages: messagesFromRows(
        rows.message.filter((m) => m.session_id === row.id).sort((a, b) => a.time_created - b.time_created || (a.id < b.id ? -1 : 1)),
        rows.part.filter((p) => p.session_id === row.id),
      ),
      status: { type: "idle" },
      todos: todos.length ? todos : undefined,
    };
  });
  return { root, sessions: parentsFirst(root, sessions) };
}

/** A source whose tree a test can change between syncs. */
export class MemorySource implements TreeSource {
  readonly kind = "test source";
  loads = 0;
  constructor(public snapshot: TreeSnapshot | undefined) {}
  async loadTree(root: string) {
    this.loads++;
    return this.snapshot?.root === root ? structuredClone(this.snapshot) : undefined;
  }
}

/**
 * Everything the archive holds about the trees of a runner, keyed by opencode ids and without
 * row ids or bookkeeping timestamps: two archives of the same content compare equal.
 */
export async function archiveContent(db: PrismaClient, runnerId: string) {
  const sessions = await db.session.findMany({
    where: { runnerId },
    orderBy: { opencodeId: "asc" },
    include: {
      root: { select: { opencodeId: true } },
      parents: { include: { parent: { select: { opencodeId: true } }, turn: { select: { index: true } } }, orderBy: { kind: "asc" } },
      turns: { orderBy: { index: "asc" } },
      messages: { orderBy: { opencodeId: "asc" }, include: { turn: { select: { index: true } } } },
      parts: { orderBy: { opencodeId: "asc" }, include: { toolSpan: { include: { childSession: { select: { opencodeId: true } } } }, message: { select: { opencodeId: true } } } },
      snapshot: { select: { todos: true } },
    },
  });
  return sessions.map((s) => ({
    opencodeId: s.opencodeId,
    root: s.root?.opencodeId,
    title: s.title,
    directory: s.directory,
    agent: s.agent,
    providerId: s.providerId,
    modelId: s.modelId,
    status: s.status,
    tokens: [s.tokensInput, s.tokensOutput, s.tokensReasoning, s.tokensCacheRead, s.tokensCacheWrite, s.cost],
    createdAt: s.createdAt.toISOString(),
    deleted: s.deletedAt !== null,
    parents: s.parents.map((r) => ({ parent: r.parent.opencodeId, kind: r.kind, toolCallId: r.toolCallId, turn: r.turn?.index ?? null })),
    turns: s.turns.map((t) => ({ index: t.index, userMessageId: t.userMessageId, status: t.status, error: t.error, startedAt: t.startedAt.toISOString(), endedAt: t.endedAt?.toISOString() })),
    messages: s.messages.map((m) => ({
      id: m.opencodeId,
      turn: m.turn.index,
      role: m.role,
      tokens: [m.tokensInput, m.tokensOutput, m.tokensReasoning, m.tokensCacheRead, m.tokensCacheWrite, m.cost],
      error: m.error,
      data: m.data,
      createdAt: m.createdAt.toISOString(),
      completedAt: m.completedAt?.toISOString(),
    })),
    parts: s.parts.map((p) => ({
      id: p.opencodeId,
      message: p.message.opencodeId,
      type: p.type,
      text: p.text,
      data: p.data,
      span: p.toolSpan && {
        callId: p.toolSpan.callId,
        tool: p.toolSpan.tool,
        status: p.toolSpan.status,
        title: p.toolSpan.title,
        input: p.toolSpan.input,
        output: p.toolSpan.output,
        durationMs: p.toolSpan.durationMs,
        child: p.toolSpan.childSession?.opencodeId ?? null,
      },
    })),
    todos: s.snapshot?.todos ?? null,
  }));
}

/** Row counts of the content tables (duplicates show up here). */
export async function rowCounts(db: PrismaClient) {
  const [sessions, relations, turns, messages, parts, spans] = await Promise.all([
    db.session.count(),
    db.sessionRelation.count(),
    db.turn.count(),
    db.message.count(),
    db.part.count(),
    db.toolSpan.count(),
  ]);
  return { sessions, relations, turns, messages, parts, spans };
}
