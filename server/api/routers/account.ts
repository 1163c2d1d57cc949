import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
import { needsSetup } from "~/server/auth/first-admin";
import { InviteError, inspectInvite } from "~/server/auth/invites";

// Pages ask these before anyone has signed in: who am I, is the team still empty, what does
// this link grant. None of them changes anything.
export const accountRouter = createTRPCRouter({
  me: publicProcedure.query(({ ctx }) => ctx.caller),

  setupNeeded: publicProcedure.query(async ({ ctx }) => needsSetup((await ctx.services()).db)),

  invite: publicProcedure.input(z.object({ token: z.string().min(1).max(200) })).query(async ({ ctx, input }) => {
    try {
      return await inspectInvite((await ctx.services()).db, input.token);
    } catch (error) {
      if (error instanceof InviteError) throw new TRPCError({ code: "NOT_FOUND", message: error.message });
      throw error;
    }
  }),
});
