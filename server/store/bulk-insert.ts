import { SINGLE_CONNECTION_SETTING, type Tx } from "~/server/db";
import { randomBytes } from "node:crypto";
import { encodedJson } from "./lossless-text";

/** A column of a bulk insert: its name and the SQL type its JSON value is read as. */
export type BulkColumn = readonly [name: string, sqlType: string];

/** Rows per statement (one json parameter each): on PGlite a statement holds the event loop, about 50 ms for 1,000 parts. */
const ROWS_PER_STATEMENT = 1000;

/** A reference of a table's rows: its column and the table whose id it holds (the schema's foreign keys). */
export type BulkReference = readonly [column: string, table: string];

/**
 * Columns a table's rows copy from a row they reference instead of carrying them in the JSON:
 * `join` names that row (LEFT, so that a missing one still fails its foreign key), `select` gives
 * each column's SQL expression, and `inputs` what more the JSON carries for those expressions.
 */
export type BulkCopied = { join: string; inputs: readonly BulkColumn[]; select: readonly (readonly [column: string, expression: string])[] };

/** Rows for one table of a bulk insert. `table`, `columns`, `references` and `copied` are constants of the caller, never input. */
export type BulkRows = {
  table: string;
  columns: readonly BulkColumn[];
  references: readonly BulkReference[];
  copied?: BulkCopied;
  rows: readonly Record<string, unknown>[];
};

/**
 * Inserts rows into each table in turn (in the order given: a later table's rows may reference
 * an earlier one's) with one statement per 1,000 rows: the rows travel as ONE json literal
 * read back with `json_to_recordset`, so neither Prisma's query compiler (which costs about as
 * much as the database for a 1,000-row createMany) nor the bind-parameter limit sees them. A
 * literal, not a parameter: Prisma hands a raw query's parameters to its driver through
 * `JSON.stringify` and `JSON.parse` (0.3 s of CPU, and as much garbage, in a 10,000-part sync);
 * dollar-quoted with a tag the text does not contain, it needs no escaping at all. Raw
 * SQL bypasses the lossless-text extension: the rows are encoded here (`encodedJson`, keys
 * included, a batch at a time), exactly as the extension encodes a model operation's args. A key a row
 * lacks (undefined) is stored as NULL (a JSON null in a jsonb column would be stored as JSON
 * null); dates go as ISO strings (UTC, as Prisma stores DateTime).
 *
 * On PGlite the foreign keys are checked as a set: PostgreSQL checks each row's references with
 * a trigger and a query of its own, a fifth of a 10,000-part sync's time there. PGlite has one
 * connection, so no other transaction can remove a parent meanwhile: the statements run with
 * row triggers off (`session_replication_role`, for this transaction only) and each one counts
 * its rows whose reference is missing, and fails naming them as the foreign key would have. On
 * PostgreSQL the triggers check, as everywhere else.
 *
 * Each statement's JSON is built while the one before runs: on PostgreSQL (another process) the
 * encoding then costs no time of its own; the statements still run one after the other.
 */
export async function bulkInsert(tx: Tx, ...tables: BulkRows[]): Promise<void> {
  if (tables.every(({ rows }) => rows.length === 0)) return;
  const asSet = await checkReferencesAsSet(tx);
  try {
    await insertAll(tx, tables, asSet);
  } finally {
    // After a failed statement the transaction is over anyway; after ours (a missing
    // reference) it goes on, and must not go on without its triggers.
    if (asSet) await tx.$executeRawUnsafe("SET LOCAL session_replication_role = origin").catch(() => undefined);
  }
}

async function insertAll(tx: Tx, tables: readonly BulkRows[], asSet: boolean): Promise<void> {
  let running: Promise<unknown> | undefined;
  for (const { table, columns, references, copied, rows } of tables) {
    const names = [...columns.map(([name]) => name), ...(copied?.select ?? []).map(([name]) => name)].map((name) => `"${name}"`).join(", ");
    const values = [...columns.map(([name]) => `r."${name}"`), ...(copied?.select ?? []).map(([, expression]) => expression)].join(", ");
    const types = [...columns, ...(copied?.inputs ?? [])].map(([name, type]) => `"${name}" ${type}`).join(", ");
    for (const json of jsonBatches(rows)) {
      // Nothing awaits between a statement's start and this line, so its failure cannot go unhandled.
      await running;
      const insert = `INSERT INTO "${table}" (${names}) SELECT ${values} FROM json_to_recordset(${dollarQuoted(json)}::json) AS r(${types})${copied ? ` ${copied.join}` : ""}`;
      // A Prisma promise runs once it is awaited or `then` is called: `then` starts it now.
      running = asSet && references.length > 0
        ? tx.$queryRawUnsafe<Record<string, number>[]>(withMissingReferences(insert, references)).then(([missing]) => failOnMissing(table, references, missing))
        : tx.$executeRawUnsafe(insert).then();
    }
  }
  await running;
}

/** Whether this database checks references as a set (PGlite, `server/db.ts`); if so, row triggers are now off until `origin`. */
async function checkReferencesAsSet(tx: Tx): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<unknown[]>(
    `SELECT set_config('session_replication_role', 'replica', true) WHERE current_setting('${SINGLE_CONNECTION_SETTING}', true) = 'on'`,
  );
  return rows.length > 0;
}

/** The insert, returning for each reference how many inserted rows name a row that does not exist. */
function withMissingReferences(insert: string, references: readonly BulkReference[]): string {
  const returning = references.map(([column]) => `"${column}"`).join(", ");
  const counts = references
    .map(([column, table]) => `count(*) FILTER (WHERE i."${column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "${table}" x WHERE x.id = i."${column}"))::int AS "${column}"`)
    .join(", ");
  return `WITH i AS (${insert} RETURNING ${returning}) SELECT ${counts} FROM i`;
}

function failOnMissing(table: string, references: readonly BulkReference[], missing: Record<string, number> | undefined) {
  for (const [column, parent] of references) {
    const count = missing?.[column] ?? 0;
    if (count > 0) throw new Error(`Could not insert into ${table}: ${count} row(s) name a ${parent} that does not exist (${column})`);
  }
}

/** `text` as a dollar-quoted SQL literal: its tag is one the text does not contain, so nothing in it ends the literal. */
export function dollarQuoted(text: string): string {
  let tag: string;
  do tag = `$j${randomBytes(6).toString("hex")}$`;
  while (text.includes(tag));
  return `${tag}${text}${tag}`;
}

/** The rows as JSON arrays of up to ROWS_PER_STATEMENT rows, encoded (`encodedJson`: one pass over each array's text), built one at a time as they are asked for. */
export function* jsonBatches(rows: readonly Record<string, unknown>[]): Generator<string> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) yield encodedJson(rows.slice(i, i + ROWS_PER_STATEMENT));
}

export const MESSAGE_COLUMNS: readonly BulkColumn[] = [
  ["id", "text"], ["sessionId", "text"], ["turnId", "text"], ["opencodeId", "text"], ["role", "text"],
  ["agent", "text"], ["providerId", "text"], ["modelId", "text"],
  ["tokensInput", "integer"], ["tokensOutput", "integer"], ["tokensReasoning", "integer"], ["tokensCacheRead", "integer"], ["tokensCacheWrite", "integer"],
  ["cost", "double precision"], ["costSource", `"CostSource"`], ["priceVersion", "text"],
  ["error", "jsonb"], ["data", "jsonb"], ["createdAt", "timestamp(3)"], ["completedAt", "timestamp(3)"],
];

export const MESSAGE_REFERENCES: readonly BulkReference[] = [["sessionId", "Session"], ["turnId", "Turn"]];

export const PART_COLUMNS: readonly BulkColumn[] = [
  ["id", "text"], ["sessionId", "text"], ["messageId", "text"], ["turnId", "text"], ["opencodeId", "text"], ["type", "text"],
  ["text", "text"], ["data", "jsonb"], ["startedAt", "timestamp(3)"], ["endedAt", "timestamp(3)"], ["updatedAt", "timestamp(3)"],
];

export const PART_REFERENCES: readonly BulkReference[] = [["sessionId", "Session"], ["messageId", "Message"], ["turnId", "Turn"]];

export const TOOL_SPAN_COLUMNS: readonly BulkColumn[] = [
  ["id", "text"], ["sessionId", "text"], ["partId", "text"], ["turnId", "text"], ["callId", "text"], ["tool", "text"], ["title", "text"],
  ["status", `"ToolSpanStatus"`], ["outputTruncated", "boolean"], ["outputBytes", "integer"],
  ["startedAt", "timestamp(3)"], ["endedAt", "timestamp(3)"], ["durationMs", "integer"],
];

/**
 * A span's input, output and error are its part's tool state (`Part.data.state`, encoded alike),
 * copied from the part's row: sent once, the JSON of a 10,000-part sync is a third smaller and
 * its spans are not parsed twice. Only an output cut at the cap travels (`cappedOutput`).
 */
export const TOOL_SPAN_COPIED: BulkCopied = {
  join: `LEFT JOIN "Part" p ON p.id = r."partId"`,
  inputs: [["cappedOutput", "text"]],
  select: [
    ["input", `p.data -> 'state' -> 'input'`],
    ["output", `COALESCE(r."cappedOutput", p.data -> 'state' ->> 'output')`],
    ["error", `p.data -> 'state' ->> 'error'`],
  ],
};

export const TOOL_SPAN_REFERENCES: readonly BulkReference[] = [["sessionId", "Session"], ["partId", "Part"], ["turnId", "Turn"]];
