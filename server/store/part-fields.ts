import type { Prisma } from "~/server/generated/prisma/client";
import type { PartInfo, ToolCall } from "~/server/stream/entities";
import { storedPartData } from "./part-data";
import { toolSpanFields } from "./tool-span";

const json = (value: unknown) => value as Prisma.InputJsonValue;
const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

// Kept apart from apply-events.ts (which imports Prisma's runtime) so the trace fixture, which
// Playwright loads, writes the very columns the store writes.

/** A part's columns as stored (its text once, in `text`), but for its ids. */
export function partFields(part: PartInfo, turnId: string, text: string | undefined) {
  return { turnId, type: part.type, text, data: storedPartData(part.data, text), startedAt: date(part.startedAt), endedAt: date(part.endedAt) };
}

/** A tool part's span columns, but for its ids and sub-agent link. */
export function spanFields(tool: ToolCall, turnId: string) {
  return { ...toolSpanFields(tool), input: json(tool.input), turnId };
}
