import { setImmediate as yieldToIo } from "node:timers/promises";
import Database from "better-sqlite3";
import { ArchiveError } from "./errors";
import { opencodeDbProblem } from "./sqlite-check";
import { parentsFirst, type SourceSession, type TreeSource } from "./source";

// Reads an opencode SQLite database (`$XDG_DATA_HOME/opencode/opencode.db`, schema in
// ./fixtures/opencode-*-db-schema.sql) back into the wire shapes the runner's API
// returns, so an import goes through exactly the same planning and writing as a live sync.
// opencode stores each message/part as JSON in `data`, without the ids kept in columns.

export type SessionRow = {
  id: string;
  project_id: string;
  workspace_id: string | null;
  parent_id: string | null;
  slug: string;
  directory: string;
  path: string | null;
  title: string;
  version: string;
  share_url: string | null;
  summary_additions: number | null;
  summary_deletions: number | null;
  summary_files: number | null;
  summary_diffs: string | null;
  metadata: string | null;
  cost: number;
  tokens_input: number;
  tokens_output: number;
  tokens_reasoning: number;
  tokens_cache_read: number;
  tokens_cache_write: number;
  revert: string | null;
  permission: string | null;
  agent: string | null;
  model: string | null;
  time_created: number;
  time_updated: number;
  time_compacting: number | null;
  time_archived: number | null;
};

export type MessageRow = { id: string; session_id: string; time_created: number; data: string };
export type PartRow = { id: string; message_id: string; session_id: string; data: string };
export type TodoRow = { session_id: string; content: string; status: string; priority: string; position: number };

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const defined = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;

/** A session row as opencode's API returns it (Session.Info). */
export function sessionInfoFromRow(row: SessionRow): SourceSession["info"] {
  return defined({
    id: row.id,
    slug: row.slug,
    projectID: row.project_id,
    workspaceID: row.workspace_id ?? undefined,
    directory: row.directory,
    path: row.path ?? undefined,
    parentID: row.parent_id ?? undefined,
    summary:
      row.summary_additions === null && row.summary_deletions === null && row.summary_files === null
        ? undefined
        : defined({
            additions: row.summary_additions ?? 0,
            deletions: row.summary_deletions ?? 0,
            files: row.summary_files ?? 0,
            diffs: parseJson(row.summary_diffs),
          }),
    share: row.share_url ? { url: row.share_url } : undefined,
    cost: row.cost,
    tokens: {
      input: row.tokens_input,
      output: row.tokens_output,
      reasoning: row.tokens_reasoning,
      cache: { read: row.tokens_cache_read, write: row.tokens_cache_write },
    },
    title: row.title,
    agent: row.agent ?? undefined,
    model: parseJson(row.model),
    version: row.version,
    metadata: parseJson(row.metadata),
    permission: parseJson(row.permission),
    revert: parseJson(row.revert),
    time: defined({
      created: row.time_created,
      updated: row.time_updated,
      compacting: row.time_compacting ?? undefined,
      archived: row.time_archived ?? undefined,
    }),
  });
}

/** Messages of one session with their parts, as `GET /session/:id/message` returns them. */
export function messagesFromRows(messages: MessageRow[], parts: PartRow[]): unknown[] {
  const byMessage = new Map<string, PartRow[]>();
  for (const part of parts) byMessage.set(part.message_id, [...(byMessage.get(part.message_id) ?? []), part]);
  return messages.map((m) => ({
    info: { ...(parseJson(m.data) as object), id: m.id, sessionID: m.session_id },
    parts: (byMessage.get(m.id) ?? [])
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((p) => ({ ...(parseJson(p.data) as object), id: p.id, sessionID: p.session_id, messageID: p.message_id })),
  }));
}

export function todosFromRows(rows: TodoRow[]): unknown[] {
  return [...rows].sort((a, b) => a.position - b.position).map((t) => ({ content: t.content, status: t.status, priority: t.priority }));
}

// Rows read between two turns of the event loop: reading a large tree must not stall the app.
const ROWS_PER_TURN = 500;

/** An opencode.db opened read-only. Close it when done. */
export class SqliteSource implements TreeSource {
  readonly kind = "opencode database";
  private sessions: SessionRow[] | undefined;

  private constructor(private readonly db: Database.Database) {}

  /**
   * Opens `file` once it passed the checks (see sqlite-check.ts). `name` is how errors refer to
   * it (an upload's own name, never its temp path).
   */
  static async open(file: string, name = file): Promise<SqliteSource> {
    const problem = await opencodeDbProblem(file);
    if (problem) throw new ArchiveError("invalid", `"${name}" is not an opencode database: ${problem}.`, undefined, "not-opencode");
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma("trusted_schema = OFF");
    return new SqliteSource(db);
  }

  /** Roots, oldest first: sessions without a parent, or whose parent is not in the file. */
  /** Messages and parts whose data is not JSON (a damaged file): what no import can read. */
  unreadableRows(): number {
    const count = (table: "message" | "part") => (this.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE json_valid(data) = 0`).get() as { n: number }).n;
    return count("message") + count("part");
  }

  roots(): string[] {
    const rows = this.db
      .prepare(
        `SELECT s.id FROM session s LEFT JOIN session p ON p.id = s.parent_id
         WHERE s.parent_id IS NULL OR p.id IS NULL ORDER BY s.time_created, s.id`,
      )
      .all() as { id: string }[];
    return rows.map((r) => r.id);
  }

  async loadTree(rootOpencodeId: string) {
    const rows = (this.sessions ??= this.db.prepare("SELECT * FROM session").all() as SessionRow[]);
    const root = rows.find((r) => r.id === rootOpencodeId);
    if (!root) return undefined;
    const members = treeMembers(rootOpencodeId, rows);
    const hasTodo = this.hasTable("todo");
    const sessions: SourceSession[] = [];
    for (const row of members) {
      const messages = await this.rows<MessageRow>(
        "SELECT id, session_id, time_created, data FROM message WHERE session_id = ? ORDER BY time_created, id",
        row.id,
      );
      const parts = await this.rows<PartRow>("SELECT id, message_id, session_id, data FROM part WHERE session_id = ?", row.id);
      const todos = hasTodo ? todosFromRows(await this.rows<TodoRow>("SELECT * FROM todo WHERE session_id = ?", row.id)) : [];
      const info = sessionInfoFromRow(row);
      // An orphan (its parent is not in the file) is imported as a root of its own.
      if (row.id === rootOpencodeId) delete info.parentID;
      sessions.push({ info, messages: messagesFromRows(messages, parts), status: { type: "idle" }, todos: todos.length ? todos : undefined });
    }
    return { root: rootOpencodeId, sessions: parentsFirst(rootOpencodeId, sessions) };
  }

  close(): void {
    this.db.close();
  }

  private async rows<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    const rows: T[] = [];
    for (const row of this.db.prepare(sql).iterate(...params)) {
      rows.push(row as T);
      if (rows.length % ROWS_PER_TURN === 0) await yieldToIo();
    }
    return rows;
  }

  private hasTable(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  }
}

function treeMembers(root: string, rows: SessionRow[]): SessionRow[] {
  const children = new Map<string, SessionRow[]>();
  for (const row of rows) if (row.parent_id) children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
  const members: SessionRow[] = [];
  const seen = new Set<string>();
  const queue = rows.filter((r) => r.id === root);
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next.id)) continue;
    seen.add(next.id);
    members.push(next);
    queue.push(...(children.get(next.id) ?? []));
  }
  return members;
}
