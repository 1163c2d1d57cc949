import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { listAudit } from "~/server/auth/audit";
import { roleSchema } from "~/server/auth/caller";
import { createInvite, InviteError, openInvites, revokeInvite } from "~/server/auth/invites";
import { disableMember, enableMember, listMembers, setRole, TeamError } from "~/server/auth/team";
import { rowId } from "~/server/row-id";

const userId = rowId("User");

// Team refusals (unknown member, last admin) as 404/400 with their message.
async function team<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TeamError) throw new TRPCError({ code: error.code, message: error.message });
    if (error instanceof InviteError) throw new TRPCError({ code: "NOT_FOUND", message: error.message });
    throw error;
  }
}

/** Accounts and the audit log: admins only. */
export const teamRouter = createTRPCRouter({
  members: adminProcedure.query(async ({ ctx }) => listMembers((await ctx.services()).db)),

  invites: adminProcedure.query(async ({ ctx }) => openInvites((await ctx.services()).db)),

  /** A one-time sign-up link for one person with this role; the token is shown only now. */
  invite: adminProcedure
    .meta({ audit: "team.invite" })
    .input(z.object({ role: roleSchema, expiresInDays: z.number().int().min(1).max(30).default(7) }))
    .mutation(async ({ ctx, input }) => {
      const invite = await createInvite((await ctx.services()).db, { ...input, createdById: ctx.caller.userId });
      return { ...invite, role: input.role, path: `/invite?token=${invite.token}` };
    }),

  revokeInvite: adminProcedure
    .meta({ audit: "team.revokeInvite" })
    .input(z.object({ inviteId: rowId("Invite") }))
    .mutation(async ({ ctx, input }) => team(async () => revokeInvite((await ctx.services()).db, input.inviteId))),

  setRole: adminProcedure
    .meta({ audit: "team.role" })
    .input(z.object({ userId, role: roleSchema }))
    .mutation(async ({ ctx, input }) => team(async () => setRole((await ctx.services()).db, input))),

  disable: adminProcedure
    .meta({ audit: "team.disable" })
    .input(z.object({ userId }))
    .mutation(async ({ ctx, input }) => team(async () => disableMember((await ctx.services()).db, input))),

  enable: adminProcedure
    .meta({ audit: "team.enable" })
    .input(z.object({ userId }))
    .mutation(async ({ ctx, input }) => team(async () => enableMember((await ctx.services()).db, input))),

  audit: adminProcedure
    .input(z.object({ cursor: rowId("Audit entry").optional(), limit: z.number().int().min(1).max(500).optional() }))
    .query(async ({ ctx, input }) => listAudit((await ctx.services()).db, input)),
});
