import type { Tx } from "~/server/db";
import type { SessionEvent } from "~/server/stream/session-event";
import type { ArchiveIds } from "./ids";

type Of<K extends SessionEvent["kind"]> = Extract<SessionEvent, { kind: K }>;

/**
 * What the trace needs beyond messages and parts: tool calls closed when their session stops,
 * and the time spent waiting (on a human, or on a retry of the model call).
 */

/**
 * Tool calls still pending or running when their session goes idle, errors or is aborted will
 * never finish: they are closed as interrupted, at `now`.
 */
export async function interruptOpenTools(tx: Tx, sessionId: string, now: Date): Promise<void> {
  await tx.$executeRaw`UPDATE "ToolSpan" SET "status" = 'interrupted', "endedAt" = ${now},
    "durationMs" = CASE WHEN "startedAt" IS NULL THEN NULL
      ELSE GREATEST(0, FLOOR(EXTRACT(EPOCH FROM (${now}::timestamp - "startedAt")) * 1000))::int END
    WHERE "sessionId" = ${sessionId} AND "status" IN ('pending', 'running')`;
  await closeWaits(tx, sessionId, now);
}

/** Ends every wait of the session still open: nobody can answer a stopped session's request. */
async function closeWaits(tx: Tx, sessionId: string, now: Date): Promise<void> {
  await tx.waitSpan.updateMany({ where: { sessionId, endedAt: null }, data: { endedAt: now } });
}

export async function openRequestWait(
  tx: Tx,
  ids: ArchiveIds,
  event: Of<"permission.asked"> | Of<"question.asked">,
  sessionId: string,
  now: Date,
): Promise<void> {
  const turnId = event.turnId ? await ids.turn(tx, sessionId, event.turnId) : null;
  const title =
    event.kind === "permission.asked"
      ? `${event.request.permission}${event.request.patterns.length ? `: ${event.request.patterns.join(", ")}` : ""}`
      : (event.request.questions[0]?.header || event.request.questions[0]?.question || "question");
  const fields = { turnId, kind: event.kind === "permission.asked" ? ("permission" as const) : ("question" as const), callId: event.request.tool?.callId ?? null, title };
  // A replayed request (reconnect) keeps the time it was first asked.
  await tx.waitSpan.upsert({
    where: { sessionId_key: { sessionId, key: event.request.id } },
    create: { sessionId, key: event.request.id, startedAt: now, ...fields },
    update: fields,
  });
}

export async function closeRequestWait(
  tx: Tx,
  event: Of<"permission.replied"> | Of<"question.replied"> | Of<"question.rejected">,
  sessionId: string,
  now: Date,
): Promise<void> {
  const reply =
    event.kind === "permission.replied" ? event.reply : event.kind === "question.replied" ? event.answers.map((a) => a.join(", ")).join("; ") : "rejected";
  await tx.waitSpan.updateMany({ where: { sessionId, key: event.requestId, endedAt: null }, data: { endedAt: now, reply } });
}

/** The permission and question waits a turn left unanswered as it ended (an abort). */
export async function closeUnansweredWaits(tx: Tx, sessionId: string, now: Date): Promise<void> {
  await tx.waitSpan.updateMany({ where: { sessionId, kind: { in: ["permission", "question"] }, endedAt: null }, data: { endedAt: now, reply: "unanswered" } });
}

/** A retry status opens a wait until the session's next status; the next attempt closes it. */
export async function recordRetry(tx: Tx, event: Of<"session.status">, sessionId: string, now: Date): Promise<void> {
  const key = event.retry ? `retry:${event.retry.attempt}` : undefined;
  // A replayed retry status (reconnect) leaves its own wait open.
  await tx.waitSpan.updateMany({ where: { sessionId, kind: "retry", endedAt: null, ...(key && { key: { not: key } }) }, data: { endedAt: now } });
  if (!event.retry || !key) return;
  const turn = await tx.turn.findFirst({ where: { sessionId }, orderBy: { index: "desc" }, select: { id: true } });
  await tx.waitSpan.upsert({
    where: { sessionId_key: { sessionId, key } },
    create: { sessionId, key, kind: "retry", turnId: turn?.id ?? null, title: event.retry.message, startedAt: now },
    update: {},
  });
}
