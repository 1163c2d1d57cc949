import { z } from "zod";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { encodeText, encodeValue } from "./lossless-text";

/**
 * Who answered a permission or question request, kept in the archive beside the requests
 * (SessionBoundary.requests) as entries of type "answer". The runner's own reply event says
 * what was answered but not by whom: only the app knows the caller.
 */
export const StoredAnswer = z.object({
  type: z.literal("answer"),
  // Distinct from the request's id, so removing the answered request leaves this entry.
  id: z.string(),
  requestId: z.string(),
  kind: z.enum(["permission", "question"]),
  reply: z.string(),
  answers: z.array(z.array(z.string())).optional(),
  by: z.string(),
  at: z.string(),
  // The request as it was pending, so the answer still renders after the request is gone.
  request: z.record(z.string(), z.unknown()).optional(),
  // "always" replies: the runner process that remembers the rule (it forgets on restart).
  runnerInstanceId: z.string().nullable().optional(),
});
export type StoredAnswer = z.infer<typeof StoredAnswer>;

/** An answer's reply in words, as the views show it and a refused second answer says it. */
export const REPLY_LABEL: Record<string, string> = {
  once: "Allowed once",
  always: "Always allowed",
  reject: "Rejected",
  answer: "Answered",
};

export type AnswerInput = Pick<StoredAnswer, "requestId" | "kind" | "reply" | "answers" | "by" | "runnerInstanceId">;

/**
 * Appends the answer in one statement (no read-modify-write), before the runner is told, so the
 * store's removal of the request on the runner's reply event cannot overwrite it. A request takes
 * one answer: when two people answer at once, the second finds the first's entry and records
 * nothing (false), so neither the runner's refusal of it nor its taking back touches the first.
 */
export async function recordAnswer(db: PrismaClient, sessionRowId: string, input: AnswerInput): Promise<boolean> {
  const boundary = await db.sessionBoundary.findUnique({ where: { sessionId: sessionRowId }, select: { requests: true } });
  const pending = asArray(boundary?.requests).find(
    (r): r is Record<string, unknown> => isRecord(r) && r.id === input.requestId && r.type !== "answer",
  );
  const entry: StoredAnswer = {
    type: "answer",
    id: `answer:${input.requestId}`,
    ...input,
    at: new Date().toISOString(),
    request: pending,
  };
  const value = JSON.stringify(encodeValue([entry]));
  const written = await db.$executeRaw`
    INSERT INTO "SessionBoundary" ("sessionId", "seq", "status", "usage", "todos", "requests", "updatedAt")
    VALUES (${sessionRowId}, 0, 'waiting', '{}'::jsonb, '[]'::jsonb, ${value}::jsonb, now())
    ON CONFLICT ("sessionId") DO UPDATE SET "requests" = "SessionBoundary"."requests" || ${value}::jsonb
    WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements("SessionBoundary"."requests") e WHERE e->>'id' = ${encodeText(entry.id)})`;
  return written > 0;
}

/** The answer recorded for a request of this session, if any. */
export async function recordedAnswer(db: PrismaClient, sessionRowId: string, requestId: string): Promise<StoredAnswer | undefined> {
  const boundary = await db.sessionBoundary.findUnique({ where: { sessionId: sessionRowId }, select: { requests: true } });
  return answersIn(boundary?.requests).find((a) => a.requestId === requestId);
}

/** The answers among a session's stored requests (SessionBoundary.requests). */
export function answersIn(requests: unknown): StoredAnswer[] {
  return asArray(requests).flatMap((entry) => {
    const parsed = StoredAnswer.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Takes back an answer the runner refused (the request may be answered again). */
export async function forgetAnswer(db: PrismaClient, sessionRowId: string, requestId: string): Promise<void> {
  const id = `answer:${requestId}`;
  await db.$executeRaw`
    UPDATE "SessionBoundary" SET "requests" = COALESCE(
      (SELECT jsonb_agg(e) FROM jsonb_array_elements("requests") e WHERE e->>'id' IS DISTINCT FROM ${encodeText(id)}), '[]'::jsonb)
    WHERE "sessionId" = ${sessionRowId}`;
}

/** Whether an entry of SessionBoundary.requests is a request still waiting (not a recorded answer). */
export function isOpenRequest(entry: { type?: unknown }): boolean {
  return entry.type === "permission" || entry.type === "question";
}

/** Whether a permission or question request is waiting for an answer anywhere in the session's tree. */
export async function isPendingRequest(db: PrismaClient, sessionRowId: string, requestId: string): Promise<boolean> {
  const row = await db.session.findUnique({ where: { id: sessionRowId }, select: { rootId: true } });
  const tree = await db.sessionBoundary.findMany({ where: { session: { rootId: row?.rootId ?? sessionRowId } }, select: { requests: true } });
  return tree.some((s) => asArray(s.requests).some((r) => isRecord(r) && r.id === requestId && isOpenRequest(r)));
}

/** Every recorded answer in the tree of a session, with the opencode id of the session asked. */
export async function treeAnswers(db: PrismaClient, sessionRowId: string) {
  const row = await db.session.findUnique({ where: { id: sessionRowId }, select: { rootId: true } });
  if (!row) return [];
  const tree = await db.session.findMany({
    where: { rootId: row.rootId ?? sessionRowId },
    select: { opencodeId: true, boundary: { select: { requests: true } } },
  });
  return tree.flatMap((s) => answersIn(s.boundary?.requests).map((answer) => ({ ...answer, sessionId: s.opencodeId })));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
