import type { Prisma } from "~/server/generated/prisma/client";

/**
 * A part's raw data as the archive stores it, and back. A text or reasoning part's text lives in
 * the `text` column (where streamed deltas are appended), so its data is stored without it: a
 * long answer is written once, not twice (a 16 MB answer was 32 MB a write). Rows written before
 * keep a copy in their data, which the column's text replaces when read.
 */

/** The data to store for a part whose text goes to the text column (`text` undefined: it keeps all of it). */
export function storedPartData(data: unknown, text: string | undefined): Prisma.InputJsonValue {
  if (text === undefined || !isRecord(data) || !("text" in data)) return data as Prisma.InputJsonValue;
  const { text: _inColumn, ...rest } = data;
  return rest as Prisma.InputJsonValue;
}

/** A stored part's raw data whole again: its data with the text column's text. */
export function rawPartData(row: { data: unknown; text: string | null }): Record<string, unknown> {
  const data = isRecord(row.data) ? row.data : {};
  return row.text === null ? data : { ...data, text: row.text };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
