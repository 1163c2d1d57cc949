// Test helpers of the archive (used by its tests and the SIGKILL child process only).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { messagesFromRows, sessionInfoFromRow, todosFromRows, type MessageRow, type PartRow, type SessionRow, type TodoRow } from "./sqlite-source";
import { newest, parentsFirst, type ReadOptions, type SourceSession, type SourceTree, type TreeSource } from "./source";

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
export function sourceTreeFromRows(rows: OpencodeRows, root: string): SourceTree {
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
  /** Each read's limit (`recent`, of the tree or of one session's messages), undefined for a whole read. */
  readonly limits: (number | undefined)[] = [];
  constructor(public tree: SourceTree | undefined) {}
  async loadTree(root: string, options: ReadOptions = {}) {
    this.loads++;
    this.limits.push(options.recent);
    if (this.tree?.root !== root) return undefined;
    // As a runner answers a limit: the newest messages, oldest first.
    const sessions = this.tree.sessions.map((s) => ({ ...s, ...newest(s.messages, options.recent) }));
    return structuredClone({ ...this.tree, sessions });
  }
  async loadMessages(sessionId: string, recent?: number) {
    this.limits.push(recent);
    const session = this.tree?.sessions.find((s) => s.info.id === sessionId);
    return structuredClone(newest(session?.messages ?? [], recent));
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
      boundary: { select: { todos: true } },
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
    todos: s.boundary?.todos ?? null,
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

/**
 * A synthetic tree in the runner's shapes: one session, `turns` turns of a prompt, an assistant
 * step of `toolsPerTurn` read calls and an answer. Text PostgreSQL refuses (NUL, unpaired
 * surrogates, the escape U+FDD0) appears in prompts, tool input keys and values and outputs; one
 * call errs, one is still running, one output passes the span's cap.
 */
export function syntheticTree(turns: number, toolsPerTurn: number, root = "ses_0000000000001SyntheticRoot"): SourceTree {
  let clock = 1795425120000;
  let n = 0;
  const id = (prefix: string) => `${prefix}_${(clock + n++).toString(16).padStart(12, "0")}${String(n).padStart(14, "0")}`;
  const odd = "nul:\u0000 high:\uDBFF low:\uDC00 escape:\uFDD0 é";
  const usage = { input: 100, output: 10, reasoning: 0, cache: { read: 0, write: 0 } };
  const assistant = (messageId: string, parentID: string, finish: string) => ({
    id: messageId, sessionID: root, parentID, role: "assistant", mode: "build", agent: "build", path: { cwd: "/work/demo", root: "/" },
    cost: 0.002, tokens: usage, modelID: "demo", providerID: "flightdeck-demo", time: { created: (clock += 1), completed: (clock += 5) }, finish,
  });
  const messages: unknown[] = [];
  for (let t = 0; t < turns; t++) {
    const user = id("msg");
    messages.push({
      info: { id: user, sessionID: root, role: "user", time: { created: (clock += 10) }, agent: "build", model: { providerID: "flightdeck-demo", modelID: "demo" } },
      parts: [{ id: id("prt"), sessionID: root, messageID: user, type: "text", text: `Read a lot (${odd}). demo:tools=${toolsPerTurn}` }],
    });
    const step = id("msg");
    const parts: unknown[] = [{ id: id("prt"), sessionID: root, messageID: step, type: "step-start" }];
    for (let i = 0; i < toolsPerTurn; i++) {
      const state =
        i === 1
          ? { status: "error", input: { filePath: `/f${i}` }, error: `No such file ${odd}`, time: { start: (clock += 1), end: (clock += 1) } }
          : i === 2 && t === turns - 1
            ? { status: "running", input: { filePath: `/f${i}` }, time: { start: (clock += 1) } }
            : {
                status: "completed",
                input: { filePath: `/f${i}`, [`key ${odd}`]: odd },
                output: i === 3 ? "x".repeat(70 * 1024) : `<content>${odd} ${i}</content>`,
                metadata: { truncated: false },
                title: `f${i}`,
                time: { start: (clock += 1), end: (clock += 1) },
              };
      parts.push({ id: id("prt"), sessionID: root, messageID: step, type: "tool", tool: "read", callID: `call_${n}`, state });
    }
    parts.push({ id: id("prt"), sessionID: root, messageID: step, type: "step-finish", reason: "tool-calls", cost: 0.001, tokens: usage });
    messages.push({ info: assistant(step, user, "tool-calls"), parts });
    const answer = id("msg");
    messages.push({
      info: assistant(answer, user, "stop"),
      parts: [{ id: id("prt"), sessionID: root, messageID: answer, type: "text", text: `Done ${odd}`, time: { start: clock, end: clock } }],
    });
  }
  const info = { id: root, title: `synthetic ${odd}`, directory: "/work/demo", version: "1.18.33", time: { created: 1795425120000, updated: clock } };
  return { root, sessions: [{ info, messages, status: { type: "idle" } }] };
}

/** A prompt and a short answer, as `demo:text` adds them: 2 messages, 4 parts and a turn. */
export function appendTextTurn(messages: unknown[], sessionID: string, at: number) {
  const usage = { input: 10, output: 5, reasoning: 0, cache: { read: 0, write: 0 } };
  // opencode's ids sort as they were made: the prompt's before its answer's.
  const [user, answer] = [`msg_${at.toString(16)}a`, `msg_${at.toString(16)}b`];
  const part = (id: string, messageID: string, rest: object) => ({ id: `prt_${at.toString(16)}${id}`, sessionID, messageID, ...rest });
  messages.push(
    {
      info: { id: user, sessionID, role: "user", time: { created: at }, agent: "build", model: { providerID: "flightdeck-demo", modelID: "demo" } },
      parts: [part("a", user, { type: "text", text: "One more. demo:text" })],
    },
    {
      info: {
        id: answer, sessionID, parentID: user, role: "assistant", mode: "build", agent: "build", path: { cwd: "/work/demo", root: "/" },
        cost: 0.001, tokens: usage, modelID: "demo", providerID: "flightdeck-demo", time: { created: at + 1, completed: at + 5 }, finish: "stop",
      },
      parts: [
        part("b", answer, { type: "step-start" }),
        part("c", answer, { type: "text", text: "A short answer.", time: { start: at + 2, end: at + 4 } }),
        part("d", answer, { type: "step-finish", reason: "stop", cost: 0.001, tokens: usage }),
      ],
    },
  );
}
