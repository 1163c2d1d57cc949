import type { z } from "zod";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { treeRoots } from "~/server/store/session-list";
import { StoredRequest } from "~/server/store/snapshot";
import { turnOpenStatuses } from "~/server/stream/session-status";

/** How long a run that ended stays in `ended`, for a tab that was away to notice it. */
export const ENDED_WITHIN_MS = 10 * 60_000;

export type WaitingRequest = {
  /** The session that asked (a sub-agent's own): the one to answer. */
  sessionId: string;
  sessionTitle: string;
  rootId: string;
  rootTitle: string;
  runnerName: string;
  /** When it was asked, when the archive knows (its wait span). */
  since: Date | null;
  request: z.infer<typeof StoredRequest>;
};

export type RunRef = { rootId: string; title: string };

/** What a person may have to act on or hear about, across every tree a viewer may read. */
export type NeedsYou = {
  /** Permission and question requests waiting anywhere, sub-agents included, oldest first. */
  waiting: WaitingRequest[];
  /** Trees whose root runs now (running, waiting or stalled). */
  running: RunRef[];
  /** Trees that ended in the last ENDED_WITHIN_MS: finished (idle) or failed (error). */
  ended: (RunRef & { status: "idle" | "error"; at: Date })[];
};

const live = { deletedAt: null, purgedAt: null };

export async function needsYou(db: PrismaClient, now = new Date()): Promise<NeedsYou> {
  const [asking, running, ended] = await Promise.all([
    // A session blocked on a request is `waiting` (server/store): its boundary row lists what it asks.
    db.sessionBoundary.findMany({
      where: { session: { ...live, status: "waiting" } },
      select: {
        requests: true,
        session: {
          select: { id: true, title: true, rootId: true, runner: { select: { name: true } }, root: { select: { id: true, title: true } } },
        },
      },
    }),
    db.session.findMany({ where: { ...live, ...treeRoots, status: { in: [...turnOpenStatuses] } }, select: { id: true, title: true } }),
    db.session.findMany({
      where: { ...live, ...treeRoots, status: { in: ["idle", "error"] }, lastActivityAt: { gte: new Date(now.getTime() - ENDED_WITHIN_MS) } },
      select: { id: true, title: true, status: true, lastActivityAt: true },
    }),
  ]);
  const waiting = asking.flatMap(({ requests, session }) =>
    (Array.isArray(requests) ? requests : []).flatMap((entry) => {
      const request = StoredRequest.safeParse(entry);
      if (!request.success) return [];
      const root = session.root ?? session;
      return [{ sessionId: session.id, sessionTitle: session.title, rootId: root.id, rootTitle: root.title, runnerName: session.runner.name, since: null, request: request.data }];
    }),
  );
  const spans = await db.waitSpan.findMany({
    where: { key: { in: waiting.map((w) => w.request.id) }, sessionId: { in: waiting.map((w) => w.sessionId) } },
    select: { sessionId: true, key: true, startedAt: true },
  });
  const since = new Map(spans.map((s) => [`${s.sessionId}:${s.key}`, s.startedAt]));
  return {
    waiting: waiting
      .map((w) => ({ ...w, since: since.get(`${w.sessionId}:${w.request.id}`) ?? null }))
      .sort((a, b) => (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0)),
    running: running.map((s) => ({ rootId: s.id, title: s.title })),
    ended: ended.map((s) => ({ rootId: s.id, title: s.title, status: s.status as "idle" | "error", at: s.lastActivityAt })),
  };
}
