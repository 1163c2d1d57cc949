import type { PrismaClient } from "~/server/generated/prisma/client";
import type { OpencodeClient } from "~/server/runtime/client";
import { isOpenRequest } from "~/server/store/request-answers";

type Stored = { sessionId: string; id: string; type?: string };

/**
 * Permission and question requests exist only as events: a message list does not show them. A
 * bridge that connects after a request was asked (an instance took the runner over from one that
 * died before storing it) would never show it, and the agent would wait for nobody. So a
 * reconcile also compares the runner's pending requests of these sessions with the archive's:
 * the raw events that ask what the runner still waits on and the archive lacks, and those that
 * close what the archive holds open and the runner no longer waits on (answered meanwhile). A
 * request of an idle session (`busy` lacks it) is over whatever the runner lists: opencode keeps
 * listing a request whose turn was aborted.
 */
export async function pendingRequestEvents(
  client: OpencodeClient,
  db: PrismaClient,
  runnerId: string,
  sessionIds: readonly string[],
  busy: ReadonlySet<string>,
): Promise<unknown[]> {
  if (sessionIds.length === 0) return [];
  const wanted = new Set(sessionIds.filter((id) => busy.has(id)));
  const [permissions, questions, rows] = await Promise.all([
    client.permission.list().then((r) => r.data ?? [], () => undefined),
    client.question.list().then((r) => r.data ?? [], () => undefined),
    db.session.findMany({
      where: { runnerId, opencodeId: { in: [...sessionIds] } },
      select: { opencodeId: true, boundary: { select: { requests: true } } },
    }),
  ]);
  // A runner that cannot list them (an older opencode) is left as it was.
  if (!permissions || !questions) return [];
  // The same list keeps recorded answers (type "answer"): only requests are compared.
  const stored: Stored[] = rows.flatMap((row) =>
    ((row.boundary?.requests as { id: string; type?: string }[] | null) ?? [])
      .filter(isOpenRequest)
      .map((r) => ({ sessionId: row.opencodeId, id: r.id, type: r.type })),
  );
  const known = new Set(stored.map((r) => r.id));
  const open = new Set<string>();
  const events: unknown[] = [];
  for (const request of permissions.filter((p) => wanted.has(p.sessionID))) {
    open.add(request.id);
    if (!known.has(request.id)) events.push({ type: "permission.asked", properties: request });
  }
  for (const request of questions.filter((q) => wanted.has(q.sessionID))) {
    open.add(request.id);
    if (!known.has(request.id)) events.push({ type: "question.asked", properties: request });
  }
  for (const request of stored.filter((r) => !open.has(r.id))) {
    events.push(
      request.type === "question"
        ? { type: "question.rejected", properties: { sessionID: request.sessionId, requestID: request.id } }
        : { type: "permission.replied", properties: { sessionID: request.sessionId, requestID: request.id, reply: "no longer pending" } },
    );
  }
  return events;
}
