import { z } from "zod";
import { command } from "~/server/api/errors";
import { adminProcedure, createTRPCRouter, operatorProcedure, viewerProcedure } from "~/server/api/trpc";
import { rowId } from "~/server/row-id";
import { discardWorktree, mergeWorktree } from "~/server/worktrees/actions";
import { worktreeDiff, worktreePatch } from "~/server/worktrees/diff";
import { listRunnerWorktrees, removeOrphanWorktree } from "~/server/worktrees/inventory";

const bySession = z.object({ sessionId: rowId("Session") });
const byRunner = z.object({ runnerId: rowId("Runner") });

/** A session's own git worktree (server/worktrees): its diff, and what an operator does with it. */
export const worktreeRouter = createTRPCRouter({
  /** The worktree's changes against its base, per file (the kept final diff once it is gone). */
  diff: viewerProcedure.input(bySession).query(async ({ ctx, input }) => command(async () => worktreeDiff(await ctx.services(), input.sessionId))),

  /** The same changes as one patch file, for `git apply`. */
  patch: viewerProcedure.input(bySession).query(async ({ ctx, input }) => command(async () => worktreePatch(await ctx.services(), input.sessionId))),

  merge: operatorProcedure
    .meta({ audit: "worktree.merge" })
    .input(bySession)
    .mutation(async ({ ctx, input }) => command(async () => mergeWorktree(await ctx.services(), input.sessionId))),

  discard: operatorProcedure
    .meta({ audit: "worktree.discard" })
    .input(bySession)
    .mutation(async ({ ctx, input }) => command(async () => discardWorktree(await ctx.services(), input.sessionId))),

  /** The worktrees a runner holds, the session using each (or none: an orphan) and disk use. */
  list: viewerProcedure.input(byRunner).query(async ({ ctx, input }) => command(async () => listRunnerWorktrees(await ctx.services(), input.runnerId))),

  removeOrphan: adminProcedure
    .meta({ audit: "worktree.removeOrphan" })
    .input(byRunner.extend({ path: z.string().min(1).max(4096) }))
    .mutation(async ({ ctx, input }) => command(async () => removeOrphanWorktree(await ctx.services(), input))),
});
