import { z } from "zod";
import { command } from "~/server/api/errors";
import { adminProcedure, createTRPCRouter, operatorProcedure, viewerProcedure } from "~/server/api/trpc";
import { ArchiveError } from "~/server/archive/errors";
import { exportJson } from "~/server/archive/export";
import { forkFromArchive } from "~/server/archive/fork";
import { archiveStatus, loadArchivedTree } from "~/server/archive/read";
import { treeStats } from "~/server/archive/stats";
import { sessionView } from "~/server/archive/view";
import { archivedToolOutput } from "~/server/archive/page";
import { rowId } from "~/server/row-id";
import { TurnIndex } from "~/server/stream/entities";
import { loadExportOutline, readExportTurns, WINDOW_PARTS } from "~/server/archive/export-source";

// Ids are checked by the archive (assertSessionId) so that a malformed id is a 400 that says so,
// the same answer the pages and route handlers give.
const sessionId = z.string().min(1).max(200);

export const archiveRouter = createTRPCRouter({
  /** Archive state of the tree the session belongs to (none / syncing / archived / failed). */
  status: viewerProcedure.input(z.object({ sessionId })).query(async ({ ctx, input }) =>
    command(async () => {
      const { root } = await archiveStatus((await ctx.services()).db, input.sessionId);
      return {
        rootId: root.id,
        state: root.archiveState,
        error: root.archiveError,
        version: root.archiveVersion,
        lastArchivedAt: root.lastArchivedAt,
        deletedAt: root.deletedAt,
      };
    }),
  ),

  /** What a session page shows: live, or the archive (with why, the tree and its stats). */
  view: viewerProcedure
    .input(z.object({ sessionId, archive: z.boolean().optional(), page: z.number().int().min(1).optional(), turn: TurnIndex.optional() }))
    .query(async ({ ctx, input }) => command(async () => sessionView(await ctx.services(), input.sessionId, { archive: input.archive, at: { page: input.page, turn: input.turn } }))),

  /** The whole archived tree with its stats; refused (retry) while a sync is writing it. */
  tree: viewerProcedure.input(z.object({ sessionId })).query(async ({ ctx, input }) =>
    command(async () => {
      const tree = await loadArchivedTree((await ctx.services()).db, input.sessionId, { refuseWhileSyncing: true });
      return { tree, stats: treeStats(tree) };
    }),
  ),

  /** One tool call's whole output (a page of a long archived session shows its head). */
  toolOutput: viewerProcedure
    .input(z.object({ sessionId, partId: rowId("Part") }))
    .query(async ({ ctx, input }) => command(async () => archivedToolOutput((await ctx.services()).db, input.sessionId, input.partId))),

  /** The tree's outline and totals, which the exports are written from; refused (retry) while a sync writes. */
  exportOutline: viewerProcedure.input(z.object({ sessionId })).query(async ({ ctx, input }) =>
    command(async () => loadExportOutline((await ctx.services()).db, input.sessionId)),
  ),

  /** Whole turns of the tree by row id (`bare`: without their parts): a window of an export. */
  exportTurns: viewerProcedure
    .input(z.object({ sessionId, turnIds: z.array(rowId("Turn")).max(WINDOW_PARTS + 1), bare: z.array(rowId("Turn")).max(1).optional() }))
    .query(async ({ ctx, input }) => command(async () => readExportTurns((await ctx.services()).db, input.sessionId, input.turnIds, input.bare))),

  /** The JSON export of the whole tree. */
  exportJson: viewerProcedure.input(z.object({ sessionId })).query(async ({ ctx, input }) =>
    command(async () => exportJson(await loadArchivedTree((await ctx.services()).db, input.sessionId, { refuseWhileSyncing: true }))),
  ),

  /** A full sync of the session's tree from its runner, now. */
  sync: operatorProcedure.input(z.object({ sessionId })).mutation(async ({ ctx, input }) =>
    command(async () => {
      const outcome = await (await ctx.services()).archive.syncSession(input.sessionId, "manual");
      return { version: outcome.version, changes: outcome.changes, sessions: outcome.sessions };
    }),
  ),

  /** A new live session continuing the archived one (see server/archive/fork.ts). */
  fork: operatorProcedure
    .meta({ audit: "archive.fork" })
    .input(z.object({ sessionId, throughTurn: TurnIndex.optional() }))
    .mutation(async ({ ctx, input }) => command(async () => forkFromArchive(await ctx.services(), input))),

  /**
   * Removes the archived content of a deleted tree for good (tombstones answer 410). Live
   * sessions must be deleted first; `confirm` must repeat the session id.
   */
  purge: adminProcedure.meta({ audit: "archive.purge" }).input(z.object({ sessionId, confirm: z.string() })).mutation(async ({ ctx, input }) =>
    command(async () => {
      const { db, archive } = await ctx.services();
      const { root, id } = await archiveStatus(db, input.sessionId);
      if (input.confirm.trim().toLowerCase() !== id) {
        throw new ArchiveError("invalid", "To purge, confirm by repeating the session id.");
      }
      const runner = await db.runner.findUniqueOrThrow({ where: { id: root.runnerId }, select: { status: true } });
      if (!root.deletedAt && runner.status !== "stopped") {
        throw new ArchiveError("invalid", "This session is still live on its runner: delete it first, then purge its archive.");
      }
      return { purged: await archive.purge(root.id) };
    }),
  ),

  /** The retention policy: global (env) and per runner. */
  retention: adminProcedure.query(async ({ ctx }) => {
    const services = await ctx.services();
    const runners = await services.db.runner.findMany({ select: { id: true, name: true, retentionDays: true }, orderBy: { createdAt: "asc" } });
    const { days, purgeShared } = services.archive.config.retention;
    return { days: days ?? 0, purgeShared: purgeShared ?? false, runners };
  }),

  /** A runner's own retention in days (null: follow the global policy; 0: keep forever). */
  setRunnerRetention: adminProcedure
    .meta({ audit: "archive.retention" })
    .input(z.object({ runnerId: rowId("Runner"), days: z.number().int().min(0).max(36_500).nullable() }))
    .mutation(async ({ ctx, input }) =>
      command(async () => {
        const { db } = await ctx.services();
        return db.runner.update({ where: { id: input.runnerId }, data: { retentionDays: input.days }, select: { id: true, retentionDays: true } });
      }),
    ),

  /** Runs the retention job now (it also runs in the background). */
  applyRetention: adminProcedure.mutation(async ({ ctx }) => {
    const report = await (await ctx.services()).archive.applyRetention();
    return { checked: report.checked, purged: report.purged.length, worktreesRemoved: report.worktreesRemoved };
  }),
});
