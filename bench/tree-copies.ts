/**
 * Copies of one real session tree, as opencode itself would have stored them: opencode.db files
 * holding the tree many times over, every copy with new ids, its own marker word and its own
 * place in time. An archive of a thousand trees is then a few imports (`npm run import`), not
 * a thousand trees grown through the model.
 *
 * Ids are rewritten wherever they occur (columns, and every string in the JSON data: a message's
 * parentID, a task part's child session id, ids quoted in tool outputs), so each copy is a tree
 * of its own that shares nothing with the others.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** What opencode keeps of a tree; the other tables (events, inputs, shares) an import never reads. */
const TABLES = ["project", "session", "message", "part", "todo"] as const;
const ID = /\b(?:ses|msg|prt)_[0-9A-Za-z]{8,}/g;
const TAG_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TAG_LENGTH = 4;

type Row = Record<string, unknown>;
type TreeRows = Record<(typeof TABLES)[number], Row[]>;

export type CopyOptions = {
  /** The opencode.db holding the tree, and its root session. */
  source: string;
  root: string;
  outDir: string;
  copies: number;
  /** Copies in one file; copy i goes to file i % files, so every file spans the whole period. */
  perFile: number;
  /** In the first prompt: replaced in copy i by `marker(i)`, which the root's title gets too. */
  placeholder: string;
  marker: (copy: number) => string;
  /** Copy i happens `i * spreadMs` before the original. */
  spreadMs: number;
};

export type TreeCopies = { files: string[]; copies: number; partsPerCopy: number; sessionsPerCopy: number; ms: number };

/** The tag copy `copy` puts in place of the last characters of every id. */
function tag(copy: number): string {
  let out = "";
  for (let n = copy; out.length < TAG_LENGTH; n = Math.floor(n / TAG_DIGITS.length)) out = TAG_DIGITS[n % TAG_DIGITS.length] + out;
  if (copy >= TAG_DIGITS.length ** TAG_LENGTH) throw new Error(`at most ${TAG_DIGITS.length ** TAG_LENGTH} copies`);
  return out;
}

function readTree(db: Database.Database, root: string): TreeRows {
  const sessions = db.prepare("SELECT * FROM session").all() as Row[];
  const members = new Set([root]);
  // Descendants at any depth: add children until nothing changes.
  for (let size = 0; size !== members.size; ) {
    size = members.size;
    for (const s of sessions) if (s.parent_id && members.has(s.parent_id as string)) members.add(s.id as string);
  }
  if (!sessions.some((s) => s.id === root)) throw new Error(`the runner's database has no session ${root}`);
  const ids = [...members];
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
  const inTree = (table: string) =>
    tables.has(table) ? (db.prepare(`SELECT * FROM ${table} WHERE session_id IN (${ids.map(() => "?").join(",")})`).all(...ids) as Row[]) : [];
  const tree = sessions.filter((s) => members.has(s.id as string));
  const projects = new Set(tree.map((s) => s.project_id));
  return {
    project: (db.prepare("SELECT * FROM project").all() as Row[]).filter((p) => projects.has(p.id)),
    session: tree,
    message: inTree("message"),
    part: inTree("part"),
    todo: inTree("todo"),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Every number of every `time` object (created, updated, completed, start, end...), moved by `by`. */
function shiftTimes(value: unknown, by: number): unknown {
  if (Array.isArray(value)) return value.map((item) => shiftTimes(item, by));
  if (!isObject(value)) return value;
  const moved = (time: Record<string, unknown>) => Object.fromEntries(Object.entries(time).map(([k, v]) => [k, typeof v === "number" ? v + by : v]));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "time" && isObject(v) ? moved(v) : shiftTimes(v, by)]));
}

const TIME_COLUMNS = new Set(["time_created", "time_updated", "time_compacting", "time_archived"]);

/** One copy of a row: ids and the placeholder rewritten in every string, times moved. */
function copyRow(row: Row, rewrite: (text: string) => string, by: number): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) {
    if (typeof value === "number" && TIME_COLUMNS.has(column)) out[column] = value + by;
    else if (typeof value !== "string") out[column] = value;
    else if (column === "data" && by !== 0) out[column] = JSON.stringify(shiftTimes(JSON.parse(rewrite(value)), by));
    else out[column] = rewrite(value);
  }
  return out;
}

export function writeTreeCopies(options: CopyOptions): TreeCopies {
  const started = performance.now();
  const source = new Database(options.source, { readonly: true, fileMustExist: true });
  let tree: TreeRows;
  let schema: { type: string; tbl_name: string; sql: string }[];
  try {
    tree = readTree(source, options.root);
    schema = source.prepare("SELECT type, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL").all() as typeof schema;
  } finally {
    source.close();
  }
  const ids = new Set([...tree.session, ...tree.message, ...tree.part].map((row) => row.id as string));
  // The tag replaces the ids' last characters: the rest must tell them apart (and keeps their order).
  const stems = new Set([...ids].map((id) => id.slice(0, -TAG_LENGTH)));
  if (stems.size !== ids.size) throw new Error("two ids of the tree differ only in their last characters: copies would collide");

  fs.mkdirSync(options.outDir, { recursive: true });
  const fileCount = Math.ceil(options.copies / options.perFile);
  const files = Array.from({ length: fileCount }, (_, f) => path.join(options.outDir, `copies-${String(f).padStart(3, "0")}.db`));
  const tables = schema.filter((s) => (TABLES as readonly string[]).includes(s.tbl_name));
  for (const [f, file] of files.entries()) {
    fs.rmSync(file, { force: true });
    const db = new Database(file);
    try {
      db.pragma("journal_mode = OFF");
      db.pragma("synchronous = OFF");
      for (const statement of [...tables].sort((a, b) => (a.type === "table" ? 0 : 1) - (b.type === "table" ? 0 : 1))) db.exec(statement.sql);
      const inserts = Object.fromEntries(
        TABLES.filter((table) => tree[table].length > 0).map((table) => {
          const columns = Object.keys(tree[table][0]!);
          return [table, db.prepare(`INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`)];
        }),
      );
      db.transaction(() => {
        for (let copy = f; copy < options.copies; copy += fileCount) {
          const suffix = tag(copy);
          const marker = options.marker(copy);
          const rewrite = (text: string) =>
            text.replace(ID, (id) => (ids.has(id) ? id.slice(0, -TAG_LENGTH) + suffix : id)).replaceAll(options.placeholder, marker);
          const by = -copy * options.spreadMs;
          for (const table of TABLES) {
            for (const row of tree[table]) {
              const copied = table === "project" ? row : copyRow(row, rewrite, by);
              if (table === "session" && row.id === options.root) copied.title = `${copied.title as string} ${marker}`;
              inserts[table]?.run(copied);
            }
          }
        }
      })();
    } finally {
      db.close();
    }
  }
  return { files, copies: options.copies, partsPerCopy: tree.part.length, sessionsPerCopy: tree.session.length, ms: performance.now() - started };
}
