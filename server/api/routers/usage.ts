import { createTRPCRouter, viewerProcedure } from "~/server/api/trpc";
import { usageInput } from "~/server/usage/range";
import { usageReport, usageTrees } from "~/server/usage/report";

// Tokens and cost across the whole archive (server/usage). Team members only: a share link
// shows one tree, never the team's spending.
export const usageRouter = createTRPCRouter({
  /** The Usage page: totals, the day or week series, by runner, model, agent and person, the dearest trees. */
  report: viewerProcedure.input(usageInput).query(async ({ ctx, input }) => usageReport((await ctx.services()).db, input)),

  /** Every tree of the range with its totals, dearest first (the CSV export). */
  trees: viewerProcedure.input(usageInput).query(async ({ ctx, input }) => usageTrees((await ctx.services()).db, input)),
});
