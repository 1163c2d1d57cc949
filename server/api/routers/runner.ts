import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "~/server/api/trpc";
import { databaseRefusal } from "~/server/api/errors";
import type { AuditAction } from "~/server/auth/audit";
import { rowId } from "~/server/row-id";
import { createRunnerClient, listAgents, listProviders } from "~/server/runtime/client";
import { runnerUrlSchema } from "~/server/runtime/runner-url";
import { providerReach } from "~/server/runtime/model-reach";
import { shortMessage } from "~/server/store/short-message";
import { rememberedRules } from "~/server/permission-scope/rules";
import { liveTreeCounts } from "~/server/store/session-list";
import { isImportedRunner } from "~/server/archive/imported-runner";
import { RunnerRefusal } from "~/server/runners/registry";

// Credentials never leave the server: select only what a viewer may see.
const publicRunnerFields = {
  id: true,
  name: true,
  kind: true,
  url: true,
  status: true,
  version: true,
  lastError: true,
  lastSeenAt: true,
  worktreeByDefault: true,
  alwaysAllow: true,
} as const;

/** An admin's on/off setting kept on the Runner row. */
function runnerSwitch(field: "worktreeByDefault" | "alwaysAllow", audit: AuditAction) {
  return adminProcedure
    .meta({ audit })
    .input(z.object({ runnerId: rowId("Runner"), enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const { db } = await ctx.services();
      await db.runner.update({ where: { id: input.runnerId }, data: { [field]: input.enabled } }).catch((error: unknown) => {
        throw databaseRefusal(error) ?? error;
      });
    });
}

/** A change the registry or the database refused, as the error the caller reads. */
function refused(error: unknown): never {
  if (error instanceof RunnerRefusal) throw new TRPCError({ code: error.kind === "missing" ? "NOT_FOUND" : "BAD_REQUEST", message: error.message });
  throw databaseRefusal(error) ?? error;
}

export const runnerRouter = createTRPCRouter({
  /**
   * Every runner with its session trees on the dashboard (`trees`); the embedded one also says
   * where new sessions start by default.
   */
  list: viewerProcedure.query(async ({ ctx }) => {
    const services = await ctx.services();
    const [rows, trees] = await Promise.all([
      services.db.runner.findMany({ select: publicRunnerFields, orderBy: { createdAt: "asc" } }),
      liveTreeCounts(services.db),
    ]);
    const embeddedId = services.runners.embeddedRunnerId;
    const embeddedDirectory = services.embedded?.supervisor.directory;
    return rows.map((row) => ({
      ...row,
      trees: trees.get(row.id) ?? 0,
      imported: isImportedRunner(row),
      defaultDirectory: row.id === embeddedId ? embeddedDirectory : undefined,
    }));
  }),

  /** Agents and models a new session on this runner can use. */
  options: viewerProcedure.input(z.object({ runnerId: rowId("Runner") })).query(async ({ ctx, input }) => {
    const link = await (await ctx.services()).runners.link(input.runnerId);
    if (!link) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "This runner is not serving right now." });
    const client = createRunnerClient(link.endpoint);
    const notOpencode = (reason: string) =>
      new TRPCError({ code: "PRECONDITION_FAILED", message: `The runner at ${link.endpoint.url} did not answer as an opencode server: ${reason}` });
    const [agents, catalog] = await Promise.all([listAgents(client), listProviders(client)]).catch((error: unknown) => {
      throw notOpencode(shortMessage(error));
    });
    // Any web server answers 200 to these paths; only opencode answers with lists.
    if (!Array.isArray(agents) || !Array.isArray(catalog?.providers)) throw notOpencode("no agents or providers in its answer");
    const models = catalog.providers.flatMap((p) => {
      const reach = providerReach(p);
      return Object.values(p.models).map((m) => ({
        providerID: p.id,
        modelID: m.id,
        providerName: p.name,
        name: m.name,
        // The context meter's maximum; 0 when the provider does not say.
        contextLimit: m.limit?.context ?? 0,
        /** Why the runner cannot call it (pickers show it, unpickable), or null when it can. */
        notConnected: reach.connected ? null : reach.why,
      }));
    });
    return { agents: agents.map((a) => ({ name: a.name, mode: a.mode, description: a.description })), models };
  }),

  addRemote: adminProcedure
    .meta({ audit: "runner.add" })
    .input(
      z.object({
        name: z.string().trim().min(1).max(100),
        url: runnerUrlSchema,
        username: z.string().optional(),
        password: z.string().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      try {
        return await (await ctx.services()).runners.addRemote(input);
      } catch (error) {
        throw databaseRefusal(error) ?? new TRPCError({ code: "BAD_REQUEST", message: shortMessage(error) });
      }
    }),

  /**
   * A remote runner's name, address and credentials, checked against the runner before they are
   * kept; its bridges here re-open with them. `username` and `password` left out keep the stored
   * ones; a null password removes it.
   */
  updateRemote: adminProcedure
    .meta({ audit: "runner.update" })
    .input(
      z.object({
        runnerId: rowId("Runner"),
        name: z.string().trim().min(1).max(100),
        url: runnerUrlSchema,
        username: z.string().optional(),
        password: z.string().nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      const link = await services.runners.updateRemote(input).catch(refused);
      await services.bridges.relink(link);
    }),

  /** Forgets a remote runner that holds no session; its bridges here close. */
  remove: adminProcedure
    .meta({ audit: "runner.remove" })
    .input(z.object({ runnerId: rowId("Runner") }))
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      const { name } = await services.runners.removeRemote(input.runnerId).catch(refused);
      await services.bridges.closeRunner(input.runnerId);
      return { auditTarget: name };
    }),

  /** Whether new sessions on the runner get a git worktree of their own when the caller does not say. */
  setWorktreeDefault: runnerSwitch("worktreeByDefault", "runner.worktreeDefault"),

  /** Whether permission cards on this runner offer "Always allow" (and the router takes it). */
  setAlwaysAllow: runnerSwitch("alwaysAllow", "runner.alwaysAllow"),

  /** The "Always allow" rules the runner's current process remembers (given through Flightdeck). */
  rememberedRules: viewerProcedure
    .input(z.object({ runnerId: rowId("Runner") }))
    .query(async ({ ctx, input }) => rememberedRules((await ctx.services()).db, input.runnerId)),
});

