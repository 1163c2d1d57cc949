/**
 * All tRPC plumbing in one file, in three parts:
 * 1. context: an inner context tests can build without a request, and the request context;
 * 2. init: the tRPC instance (superjson, zod-aware errors);
 * 3. procedures: one builder per kind of caller, so no procedure exists without a declared role.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { archiveErrorData } from "~/server/api/errors";
import { transformer } from "~/server/api/transformer";
import { resolveCaller, hasRole, type Caller, type Role } from "~/server/auth/caller";
import { getServices, type Services } from "~/server/services";

// 1. Context ------------------------------------------------------------------------------------

/** What every procedure can use. Services are resolved lazily: health must answer without them. */
export type InnerContext = { caller: Caller; services: () => Promise<Services> };

export function createInnerContext(opts: InnerContext): InnerContext {
  return { caller: opts.caller, services: opts.services };
}

export function createContext(opts: { headers: Headers }): InnerContext {
  return createInnerContext({ caller: resolveCaller(opts.headers), services: getServices });
}

// 2. Init ---------------------------------------------------------------------------------------

const t = initTRPC.context<InnerContext>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
    // Archive refusals say which (purged vs unknown, syncing with a retry delay).
    return { ...shape, data: { ...shape.data, zodError, archive: archiveErrorData(error) } };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. Procedures ---------------------------------------------------------------------------------

/** Anyone, including share-link readers and anonymous visitors. Use for health and login only. */
export const publicProcedure = t.procedure;

function requireRole(role: Role) {
  return t.middleware(({ ctx, next }) => {
    const { caller } = ctx;
    if (caller.kind !== "user") {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this." });
    }
    if (!hasRole(caller, role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${role} role; you are ${caller.role}.` });
    }
    return next({ ctx: { ...ctx, caller } });
  });
}

/** Team members who may read everything. */
export const viewerProcedure = t.procedure.use(requireRole("viewer"));
/** Team members who may run sessions and answer permission requests. */
export const operatorProcedure = t.procedure.use(requireRole("operator"));
/** Team members who manage runners, retention, imports and accounts. */
export const adminProcedure = t.procedure.use(requireRole("admin"));

/** Share-link readers: read-only by construction (routers built with it expose queries only). */
export const shareProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.caller.kind !== "share") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "This needs a share link." });
  }
  return next({ ctx: { ...ctx, caller: ctx.caller } });
});
