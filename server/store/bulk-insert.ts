import type { Tx } from "~/server/db";
import { randomBytes } from "node:crypto";
import { encodedJson } from "./lossless-text";

/** A column of a bulk insert: its name and the SQL type its JSON value is read as. */
export type BulkColumn = readonly [name: string, sqlType: string];

/** Rows per statement (one json parameter each): on PGlite a statement holds the event loop, about 50 ms for 1,000 parts. */
const ROWS_PER_STATEMENT = 1000;

/** Rows for one table of a bulk insert. `table` and `columns` are constants of the caller, never input. */
export type BulkRows = { table: string; columns: readonly BulkColumn[]; rows: readonly Record<string, unknown>[] };

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
 * Each statement's JSON is built while the one before runs: on PostgreSQL (another process) the
 * encoding then costs no time of its own; the statements still run one after the other.
 */
export async function bulkInsert(tx: Tx, ...tables: BulkRows[]): Promise<void> {
  let running: Promise<unknown> | undefined;
  for (const { table, columns, rows } of tables) {
    const names = columns.map(([name]) => `"${name}"`).join(", ");
    const types = columns.map(([name, type]) => `"${name}" ${type}`).join(", ");
    for (const json of jsonBatches(rows)) {
      // Nothing awaits between a statement's start and this line, so its failure cannot go unhandled.
      await running;
      // A Prisma promise runs once it is awaited or `then` is called: `then` starts it now.
      running = tx.$executeRawUnsafe(`INSERT INTO "${table}" (${names}) SELECT ${names} FROM json_to_recordset(${dollarQuoted(json)}::json) AS r(${types})`).then();
    }
  }
  await running;
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

export const PART_COLUMNS: readonly BulkColumn[] = [
  ["id", "text"], ["sessionId", "text"], ["messageId", "text"], ["turnId", "text"], ["opencodeId", "text"], ["type", "text"],
  ["text", "text"], ["data", "jsonb"], ["startedAt", "timestamp(3)"], ["endedAt", "timestamp(3)"], ["updatedAt", "timestamp(3)"],
];

export const TOOL_SPAN_COLUMNS: readonly BulkColumn[] = [
  ["id", "text"], ["sessionId", "text"], ["partId", "text"], ["turnId", "text"], ["callId", "text"], ["tool", "text"], ["title", "text"],
  ["status", `"ToolSpanStatus"`], ["input", "jsonb"], ["output", "text"], ["outputTruncated", "boolean"], ["outputBytes", "integer"],
  ["error", "text"], ["startedAt", "timestamp(3)"], ["endedAt", "timestamp(3)"], ["durationMs", "integer"],
];
