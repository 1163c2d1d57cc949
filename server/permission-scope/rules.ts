import { z } from "zod";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { StoredAnswer } from "~/server/store/request-answers";

/** A rule the runner remembers because someone chose "Always allow" in Flightdeck. */
export type RememberedRule = {
  /** The answer entry's id (one rule per "always" reply). */
  id: string;
  permission: string;
  /** What opencode stored: the request's `always` patterns, matched with `wildcardMatch`. */
  patterns: string[];
  /** opencode keeps rules per directory (its "instance"): they cover sessions in this one. */
  directory: string;
  session: { id: string; title: string };
  by: string;
  at: Date;
};

const AskedPermission = z.object({ permission: z.string(), always: z.array(z.string()) });

/**
 * The "always" replies given through Flightdeck that the runner's current process still
 * remembers: opencode 1.18 keeps them in memory only, so a reply counts while the runner's
 * instance id is the one it was given to. Remote runners report no instance id: their rules
 * count until the reply's session is gone, and the UI says a restart forgets them unseen.
 * `anyInstance` also takes the replies earlier runner processes remembered (for calls made then).
 */
export async function rememberedRules(
  db: PrismaClient,
  runnerId: string,
  options: { directory?: string; anyInstance?: boolean } = {},
): Promise<RememberedRule[]> {
  const { directory, anyInstance = false } = options;
  const runner = await db.runner.findUnique({ where: { id: runnerId }, select: { instanceId: true } });
  if (!runner) return [];
  const sessions = await db.session.findMany({
    where: {
      runnerId,
      purgedAt: null,
      ...(directory !== undefined && { directory }),
      boundary: { requests: { array_contains: [{ type: "answer", reply: "always" }] } },
    },
    select: { id: true, title: true, directory: true, boundary: { select: { requests: true } } },
  });
  const rules = sessions.flatMap((s) =>
    (Array.isArray(s.boundary?.requests) ? s.boundary.requests : []).flatMap((entry): RememberedRule[] => {
      const answer = StoredAnswer.safeParse(entry);
      if (!answer.success || answer.data.reply !== "always") return [];
      if (!anyInstance && (answer.data.runnerInstanceId ?? null) !== runner.instanceId) return [];
      const asked = AskedPermission.safeParse(answer.data.request);
      if (!asked.success || asked.data.always.length === 0) return [];
      return [{
        id: answer.data.id,
        permission: asked.data.permission,
        patterns: asked.data.always,
        directory: s.directory,
        session: { id: s.id, title: s.title },
        by: answer.data.by,
        at: new Date(answer.data.at),
      }];
    }),
  );
  return rules.sort((a, b) => a.at.getTime() - b.at.getTime());
}
