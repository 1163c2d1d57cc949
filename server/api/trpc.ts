/**
 * All tRPC plumbing in one file, in three parts:
 * 1. context: an inner context tests can build without a request, and the request context;
 * 2. init: the tRPC instance (superjson, zod-aware errors, the audit meta);
 * 3. procedures: one builder per kind of caller, so no procedure exists without a declared role.
 *    A procedure with `.meta({ audit: "<action>" })` is written to the audit log when it succeeds.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { archiveErrorData } from "~/server/api/errors";
import { transformer } from "~/server/api/transformer";
import { recordAudit, type AuditAction } from "~/server/auth/audit";
import { resolveCaller, hasRole, type Caller, type Role } from "~/server/auth/caller";
import { standingChecks, whileAllowed } from "~/server/auth/standing";
import { log } from "~/server/log";
import { activeLink, resolveShareToken, shareClientOf } from "~/server/share/access";
import { getServices, type Services } from "~/server/services";

/** How often a quiet subscription says it is alive (README, "Several instances"). */
export const SSE_PING_MS = 15_000;

// 1. Context ------------------------------------------------------------------------------------

/**
 * What every procedure can use. Services are resolved lazily: health must answer without them.
 * `requestId` names the request in the log and in the message of an internal error.
 */
export type InnerContext = { caller: Caller; services: () => Promise<Services>; requestId?: string };

export function createInnerContext(opts: InnerContext): InnerContext {
  return { caller: opts.caller, services: opts.services, requestId: opts.requestId };
}

/** The share token among a subscription's connection parameters (EventSource sends no headers). */
export function shareTokenOf(params: unknown): string | null {
  const share = params && typeof params === "object" ? (params as Record<string, unknown>).share : undefined;
  return typeof share === "string" ? share : null;
}

/**
 * A request that carries a share token (header `x-flightdeck-share`, or the subscription's
 * connection parameter `share`) is a share-link reader, whatever cookie comes with it: what a
 * link shows never depends on who opened it.
 */
export async function createContext(opts: { headers: Headers; requestId?: string; shareToken?: string | null }): Promise<InnerContext> {
  const shareToken = opts.shareToken ?? opts.headers.get("x-flightdeck-share");
  const caller = shareToken
    ? ((await resolveShareToken((await getServices()).db, shareToken, shareClientOf(opts.headers))) ?? { kind: "anonymous" as const })
    : await resolveCaller(opts.headers);
  return createInnerContext({ caller, services: getServices, requestId: opts.requestId });
}

// 2. Init ---------------------------------------------------------------------------------------

/**
 * Procedure metadata. `access` is set by the builder the procedure comes from (the role test
 * reads it for every procedure of the router); `audit` names a successful call in the audit log.
 */
export type Meta = { access?: "public" | "share" | Role; audit?: AuditAction };

const t = initTRPC.context<InnerContext>().meta<Meta>().create({
  transformer,
  // Subscriptions send a ping when quiet, so a proxy in front (several instances behind a load
  // balancer) never closes a live stream for idleness: keep its idle timeout above this.
  sse: { ping: { enabled: true, intervalMs: SSE_PING_MS } },
  errorFormatter({ shape, error, ctx }) {
    const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
    // An unexpected failure tells the user only which request it was; the log has the detail.
    const message =
      error.code === "INTERNAL_SERVER_ERROR"
        ? `Something went wrong on the server${ctx?.requestId ? ` (request ${ctx.requestId})` : ""}; the detail is in its log.`
        : shape.message;
    const data = { ...shape.data, stack: undefined, zodError, archive: archiveErrorData(error) };
    // Archive refusals say which (purged vs unknown, syncing with a retry delay).
    return { ...shape, message, data };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. Procedures ---------------------------------------------------------------------------------

/** Anyone, including share-link readers and anonymous visitors. Use for health and login only. */
export const publicProcedure = t.procedure.meta({ access: "public" });

/**
 * The role check of every builder below; exported for the one kind of door that cannot be a
 * procedure (a streamed upload, checked before its body is read).
 */
export function authorize(caller: Caller, role: Role): Extract<Caller, { kind: "user" }> {
  if (caller.kind !== "user") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this." });
  }
  if (!hasRole(caller, role)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${role} role; you are ${caller.role}.` });
  }
  return caller;
}

/** Shared by the streams on one database: see server/auth/standing.ts. */
const standing = new WeakMap<object, ReturnType<typeof standingChecks>>();

/**
 * A subscription's caller checked again while it streams: disabled, signed out or demoted, the
 * stream ends with the error a new request would get.
 */
async function whileStanding<T>(ctx: InnerContext, caller: Extract<Caller, { kind: "user" }>, role: Role, stream: AsyncIterable<T>) {
  const { db } = await ctx.services();
  const check = standing.get(db) ?? standing.set(db, standingChecks(db)).get(db)!;
  return whileAllowed(stream, () => check(caller, role), () => new TRPCError({ code: "UNAUTHORIZED", message: "Your sign-in ended or your role changed; sign in again." }));
}

function requireRole(role: Role) {
  return t.middleware(async ({ ctx, next, meta, getRawInput, type }) => {
    const caller = authorize(ctx.caller, role);
    const result = await next({ ctx: { ...ctx, caller } });
    if (type === "subscription" && result.ok && isAsyncIterable(result.data)) {
      return { ...result, data: await whileStanding(ctx, caller, role, result.data) };
    }
    if (meta?.audit && result.ok) {
      // The action happened: a log line that cannot be written must not report it as failed.
      await recordAudit((await ctx.services()).db, caller, meta.audit, await getRawInput(), result.data).catch((error: unknown) =>
        log.error({ requestId: ctx.requestId, action: meta.audit, err: error }, "audit line not written"),
      );
    }
    return result;
  });
}

/** Team members who may read everything. */
export const viewerProcedure = t.procedure.meta({ access: "viewer" }).use(requireRole("viewer"));
/** Team members who may run sessions and answer permission requests. */
export const operatorProcedure = t.procedure.meta({ access: "operator" }).use(requireRole("operator"));
/** Team members who manage runners, retention, imports and accounts. */
export const adminProcedure = t.procedure.meta({ access: "admin" }).use(requireRole("admin"));

/**
 * Share-link readers: read-only by construction (the access test refuses a share mutation).
 * The link is checked again on every call (revoked, expired, sharing switched off), and the
 * procedure gets what it shares: the tree's root and what the link includes.
 */
export const shareProcedure = t.procedure.meta({ access: "share" }).use(async ({ ctx, next }) => {
  if (ctx.caller.kind !== "share") {
    // A signed-in member reads the tree through the team's own procedures.
    throw new TRPCError({ code: ctx.caller.kind === "user" ? "FORBIDDEN" : "UNAUTHORIZED", message: "This needs a share link." });
  }
  const link = await activeLink((await ctx.services()).db, ctx.caller.shareLinkId);
  if (!link) throw new TRPCError({ code: "NOT_FOUND", message: LINK_NOT_AVAILABLE });
  return next({ ctx: { ...ctx, caller: ctx.caller, link: { id: ctx.caller.shareLinkId, ...link } } });
});

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** The one answer for a link that does not open, whatever the reason (no oracle). */
export const LINK_NOT_AVAILABLE = "This link is not available.";
