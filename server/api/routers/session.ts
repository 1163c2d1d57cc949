import { tracked, TRPCError } from "@trpc/server";
import { z } from "zod";
import { command } from "~/server/api/errors";
import { encodeOnce } from "~/server/api/transformer";
import { createTRPCRouter, operatorProcedure, viewerProcedure } from "~/server/api/trpc";
import { listAudit } from "~/server/auth/audit";
import { revertPlan } from "~/server/lineage/plan";
import { revertTree, unrevertTree } from "~/server/lineage/revert";
import { rowId } from "~/server/row-id";
import { answerPermission, answerQuestion } from "~/server/sessions/answers";
import * as commands from "~/server/sessions/commands";
import { renameSession } from "~/server/sessions/rename";
import { startSession } from "~/server/sessions/start";
import { sessionTitle } from "~/server/sessions/title";
import { treeStream } from "~/server/sessions/tree-stream";
import { worktreeOptions } from "~/server/worktrees/create";
import { familyAsShown } from "~/server/lineage/family";
import { timelineAsShown, timelineInput } from "~/server/lineage/timeline";
import { needsYou } from "~/server/needs-you/needs-you";
import { autoApprovals } from "~/server/permission-scope/auto-approvals";
import { permissionScope } from "~/server/permission-scope/scope";
import { treeAnswers } from "~/server/store/request-answers";
import { listRootSessions, sessionListInput } from "~/server/store/session-list";
import { loadOlderParts, olderPartsInput } from "~/server/store/older-parts";
import { loadSessionTail } from "~/server/store/snapshot";

const sessionId = rowId("Session");
const found = <T>(value: T | null, what: string): T => {
  if (value === null) throw new TRPCError({ code: "NOT_FOUND", message: `No ${what}.` });
  return value;
};
const model = z.object({ providerID: z.string().min(1), modelID: z.string().min(1) });
const promptFields = z.object({ text: z.string().trim().min(1, "The prompt is empty").max(100_000), agent: z.string().optional(), model: model.optional() });

export const sessionRouter = createTRPCRouter({
  list: viewerProcedure
    .input(sessionListInput)
    .query(async ({ ctx, input }) => listRootSessions((await ctx.services()).db, input)),

  /**
   * Which session trees changed (archive ids of their roots), at most twice a second: the
   * dashboard re-reads its list on each notice instead of polling. Nothing is replayed: the first
   * notice, sent as soon as the subscription listens, names no tree and means "read it all now".
   */
  changes: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    yield* (await ctx.services()).changes.subscribe(signal ?? new AbortController().signal);
  }),

  /** Requests waiting anywhere, runs going on and runs just ended: the "Needs you" layer. */
  needsYou: viewerProcedure.query(async ({ ctx }) => needsYou((await ctx.services()).db)),

  get: viewerProcedure.input(z.object({ sessionId })).query(async ({ ctx, input }) => {
    const { db } = await ctx.services();
    const row = await db.session.findUnique({
      where: { id: input.sessionId },
      include: {
        runner: { select: { id: true, name: true, status: true } },
        root: { select: { id: true, opencodeId: true } },
        mount: { select: { path: true, branch: true, baseRef: true, baseCommit: true, state: true } },
      },
    });
    if (!row || row.purgedAt) throw new TRPCError({ code: "NOT_FOUND", message: `No session ${input.sessionId}.` });
    const { mount, ...session } = row;
    return { ...session, worktree: mount };
  }),

  /** Every session of the family (sub-agents and forks, any depth) with its link, usage and state. */
  tree: viewerProcedure.input(z.object({ sessionId })).query(async ({ ctx, input }) =>
    found(await familyAsShown(await ctx.services(), input.sessionId), `session ${input.sessionId}`),
  ),

  /** The turns of the tree's root session, newest first, a page at a time (see server/lineage). */
  timeline: viewerProcedure.input(timelineInput).query(async ({ ctx, input }) =>
    found(await timelineAsShown(await ctx.services(), input), `session ${input.sessionId}`),
  ),

  /**
   * The live events of the session's whole tree. Resuming with the last id received yields
   * exactly what was missed, or a snapshot first when the client is too far behind.
   */
  events: viewerProcedure
    .input(z.object({ sessionId, lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const services = await ctx.services();
      const key = await treeStream(services, input.sessionId);
      if (!key) throw new TRPCError({ code: "NOT_FOUND", message: `No session ${input.sessionId}.` });
      const lastSeq = input.lastEventId ? Number(input.lastEventId) : undefined;
      // Each message is a chunk of consecutive events; its id is the last one's seq.
      for await (const chunk of services.hub.subscribe(key, lastSeq, signal ?? new AbortController().signal)) {
        yield tracked(String(chunk.at(-1)!.seq), encodeOnce(chunk));
      }
    }),

  /** The end of the session's conversation (its latest parts): what the live page shows until its stream's snapshot comes. */
  tail: viewerProcedure.input(z.object({ sessionId })).query(async ({ ctx, input }) =>
    found(await loadSessionTail((await ctx.services()).db, input.sessionId), `session ${input.sessionId}`),
  ),

  /** Parts a windowed live view does not hold yet: the page before its earliest, or all from a turn on. */
  olderParts: viewerProcedure.input(olderPartsInput).query(async ({ ctx, input }) =>
    found(await loadOlderParts((await ctx.services()).db, input), `session ${input.member} in the tree of ${input.sessionId}`),
  ),

  /** A new session; with `prompt`, its first prompt too, sent by the server. Audited by startSession. */
  create: operatorProcedure
    .input(
      z
        .object({ runnerId: rowId("Runner"), directory: z.string().min(1), title: z.string().max(200).optional(), prompt: promptFields.optional() })
        .extend(worktreeOptions.shape),
    )
    .mutation(async ({ ctx, input }) => command(async () => startSession(await ctx.services(), ctx.caller, input))),

  prompt: operatorProcedure
    .meta({ audit: "session.prompt" })
    .input(promptFields.extend({ sessionId, acknowledgeStale: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => command(async () => commands.promptSession(await ctx.services(), input))),

  abort: operatorProcedure
    .meta({ audit: "session.abort" })
    .input(z.object({ sessionId }))
    .mutation(async ({ ctx, input }) => command(async () => commands.abortSession(await ctx.services(), input.sessionId))),

  delete: operatorProcedure
    .meta({ audit: "session.delete" })
    .input(z.object({ sessionId }))
    .mutation(async ({ ctx, input }) => command(async () => commands.deleteSession(await ctx.services(), input.sessionId))),

  /** Renames the session on its runner and in the archive (the archive only once it was deleted). */
  rename: operatorProcedure
    .meta({ audit: "session.rename" })
    .input(z.object({ sessionId, title: sessionTitle }))
    .mutation(async ({ ctx, input }) => command(async () => renameSession(await ctx.services(), input))),

  /** What a revert to the message would remove: turns, sub-agent sessions (any depth), files. */
  revertPreview: viewerProcedure
    .input(z.object({ sessionId, messageId: z.string().min(1) }))
    .query(async ({ ctx, input }) => command(async () => revertPlan((await ctx.services()).db, input))),

  /** Reverts the session and the sub-agents of the reverted turns; reports every step. */
  revert: operatorProcedure
    .meta({ audit: "session.revert" })
    .input(z.object({ sessionId, messageId: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => command(async () => revertTree(await ctx.services(), { ...input, by: ctx.caller.userId }))),

  unrevert: operatorProcedure
    .meta({ audit: "session.unrevert" })
    .input(z.object({ sessionId }))
    .mutation(async ({ ctx, input }) => command(async () => unrevertTree(await ctx.services(), input))),

  fork: operatorProcedure
    .meta({ audit: "session.fork" })
    .input(z.object({ sessionId, messageId: z.string().min(1).optional() }))
    .mutation(async ({ ctx, input }) => command(async () => commands.forkSession(await ctx.services(), { ...input, startedById: ctx.caller.userId }))),

  /** Answers a permission request; the archive records who answered (see `answers`). */
  replyPermission: operatorProcedure
    .meta({ audit: "session.answer" })
    .input(z.object({ sessionId, requestId: z.string().min(1), reply: z.enum(["once", "always", "reject"]) }))
    .mutation(async ({ ctx, input }) =>
      command(async () => answerPermission(await ctx.services(), { name: ctx.caller.name }, input)),
    ),

  replyQuestion: operatorProcedure
    .meta({ audit: "session.answer" })
    .input(z.object({ sessionId, requestId: z.string().min(1), answers: z.array(z.array(z.string().max(10_000))).max(50) }))
    .mutation(async ({ ctx, input }) =>
      command(async () => answerQuestion(await ctx.services(), { name: ctx.caller.name }, input)),
    ),

  rejectQuestion: operatorProcedure
    .meta({ audit: "session.answer" })
    .input(z.object({ sessionId, requestId: z.string().min(1) }))
    .mutation(async ({ ctx, input }) =>
      command(async () => answerQuestion(await ctx.services(), { name: ctx.caller.name }, { ...input, reject: true })),
    ),

  /** What the team did in the session's tree (who prompted, aborted, answered...), newest first. */
  audit: viewerProcedure
    .input(z.object({ sessionId }))
    .query(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      const row = await db.session.findUnique({ where: { id: input.sessionId }, select: { rootId: true } });
      if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No session ${input.sessionId}.` });
      return listAudit(db, { sessionId: row.rootId ?? input.sessionId });
    }),

  /** Who answered which request in the session's tree, and how. */
  answers: viewerProcedure
    .input(z.object({ sessionId }))
    .query(async ({ ctx, input }) => treeAnswers((await ctx.services()).db, input.sessionId)),

  /** What "Always allow" would cover for this session's requests, and whether it is offered. */
  permissionScope: viewerProcedure
    .input(z.object({ sessionId }))
    .query(async ({ ctx, input }) => command(async () => permissionScope((await ctx.services()).db, input.sessionId))),

  /** Tool calls of the session the runner let through because of a remembered "Always allow". */
  autoApprovals: viewerProcedure
    .input(z.object({ sessionId }))
    .query(async ({ ctx, input }) => autoApprovals(await ctx.services(), input.sessionId)),
});
