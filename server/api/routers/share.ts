import { tracked, TRPCError } from "@trpc/server";
import { z } from "zod";
import { command } from "~/server/api/errors";
import { adminProcedure, createTRPCRouter, LINK_NOT_AVAILABLE, operatorProcedure, shareProcedure, viewerProcedure } from "~/server/api/trpc";
import { publicOrigin } from "~/server/config";
import { rowId } from "~/server/row-id";
import { treeStream } from "~/server/sessions/tree-stream";
import { sharedSessionOf } from "~/server/share/access";
import { followSharedTree } from "~/server/share/follow";
import { sessionStored } from "~/server/bridge/session-stored";
import { createShareLink, DEFAULT_EXPIRY_HOURS, INCLUDE_ALL, listShareLinks, revokeShareLink, ShareError } from "~/server/share/links";
import { shareRedactor } from "~/server/share/known-secrets";
import { checkPattern } from "~/server/share/redact";
import { shareSettings, updateShareSettings } from "~/server/share/settings";
import { openSharedDownload } from "~/server/share/download";
import { PARTS_PER_READ } from "~/server/archive/stand-ins";
import { loadSharedPage, warmSharedPage } from "~/server/share/shared-page";
import { sharedSpanDetail, sharedSpans, sharedSummary } from "~/server/share/shared-trace";
import { spanPage } from "~/server/traces/trace";
import { TurnIndex } from "~/server/stream/entities";
import { spanInput, spansInput } from "./trace";

const sessionId = rowId("Session");
const include = z.object({ reasoning: z.boolean(), toolOutputs: z.boolean(), subAgents: z.boolean() }).partial();
const pattern = z.string().min(1).max(500).superRefine((source, ctx) => {
  const problem = checkPattern(source);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const shareRouter = createTRPCRouter({
  // Team members: make, list and revoke links; admins switch sharing and add redaction patterns.

  /** A link to the whole tree; the URL is in this answer only (the token is stored hashed). */
  create: operatorProcedure
    .meta({ audit: "share.create" })
    .input(
      z.object({
        sessionId,
        // Hours from now, up to a year; "never" has to be asked for.
        expiresInHours: z.union([z.number().int().min(1).max(24 * 366), z.literal("never")]).default(DEFAULT_EXPIRY_HOURS),
        include: include.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      command(async () => {
        const services = await ctx.services();
        const include = { ...INCLUDE_ALL, ...input.include };
        const link = await createShareLink(services.db, { ...input, include, createdById: ctx.caller.userId });
        warmSharedPage(services, { ...link, include }, await shareRedactor(services));
        const path = `/share/${link.token}`;
        return { id: link.id, sessionId: link.sessionId, expiresAt: link.expiresAt, path, url: `${publicOrigin()}${path}`, auditTarget: link.id };
      }),
    ),

  /** The links of one tree, or every link; with their state, views and what they include. */
  list: viewerProcedure
    .input(z.object({ sessionId: sessionId.optional() }).optional())
    .query(async ({ ctx, input }) => command(async () => listShareLinks((await ctx.services()).db, input ?? {}))),

  revoke: operatorProcedure
    .meta({ audit: "share.revoke" })
    .input(z.object({ linkId: rowId("Share link") }))
    .mutation(async ({ ctx, input }) =>
      command(async () => {
        const revoked = await revokeShareLink((await ctx.services()).db, input.linkId);
        return { ...revoked, auditTarget: revoked.id };
      }),
    ),

  settings: viewerProcedure.query(async ({ ctx }) => shareSettings((await ctx.services()).db)),

  /** Off refuses every link at once without touching them; on again restores them. */
  setEnabled: adminProcedure
    .meta({ audit: "share.switch" })
    .input(z.object({ enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => updateShareSettings((await ctx.services()).db, { enabled: input.enabled }, ctx.caller.userId)),

  /** Extra redaction patterns (regular expressions), applied to every link from the next request. */
  setPatterns: adminProcedure
    .meta({ audit: "share.patterns" })
    .input(z.object({ patterns: z.array(pattern).max(100) }))
    .mutation(async ({ ctx, input }) => updateShareSettings((await ctx.services()).db, { patterns: input.patterns }, ctx.caller.userId)),

  // Share-link readers: their own tree, redacted, and nothing else.

  /** A page of a session of the shared tree as the link shows it: projected, redacted, scanned. */
  view: shareProcedure.input(z.object({ sessionId, page: z.number().int().min(1).optional(), turn: TurnIndex.optional() })).query(async ({ ctx, input }) =>
    command(async () => {
      const services = await ctx.services();
      await sharedSessionOf(services.db, ctx.link, input.sessionId);
      await sessionStored(services, ctx.link.sessionId);
      const shared = await loadSharedPage(services, ctx.link, await shareRedactor(services), { sessionId: input.sessionId, at: input });
      return { ...shared, expiresAt: ctx.link.expiresAt };
    }),
  ),

  /**
   * Opens the shared tree as a file, read a batch of parts at a time (server/share/download.ts):
   * its outline, redacted, and the id `downloadParts` reads its parts with.
   */
  openDownload: shareProcedure.input(z.object({ sessionId })).query(async ({ ctx, input }) =>
    command(async () => {
      const services = await ctx.services();
      await sharedSessionOf(services.db, ctx.link, input.sessionId);
      const download = await openSharedDownload(services, ctx.link, await shareRedactor(services));
      return { downloadId: services.downloads.keep(ctx.link.id, download), tree: download.tree };
    }),
  ),

  /** Whole parts of an opened download, redacted as its outline was; parts the link leaves out are not read. */
  downloadParts: shareProcedure
    .input(z.object({ downloadId: rowId("Download"), partIds: z.array(rowId("Part")).max(PARTS_PER_READ) }))
    .query(async ({ ctx, input }) =>
      command(async () => {
        const parts = (await ctx.services()).downloads.parts(ctx.link.id, input.downloadId, input.partIds);
        if (!parts) throw new TRPCError({ code: "NOT_FOUND", message: "This download expired: start it again." });
        return parts;
      }),
    ),

  /** The shared tree's trace, as `trace.spans` / `trace.summary` / `trace.span` give it, redacted. */
  traceSpans: shareProcedure.input(spansInput).query(async ({ ctx, input }) =>
    command(async () => {
      const services = await ctx.services();
      await sharedSessionOf(services.db, ctx.link, input.sessionId);
      return spanPage(await sharedSpans(services, ctx.link, await shareRedactor(services)), input.cursor, input.limit);
    }),
  ),

  traceSummary: shareProcedure.input(z.object({ sessionId })).query(async ({ ctx, input }) =>
    command(async () => {
      const services = await ctx.services();
      await sharedSessionOf(services.db, ctx.link, input.sessionId);
      return sharedSummary(services, ctx.link, await shareRedactor(services));
    }),
  ),

  traceSpan: shareProcedure.input(spanInput).query(async ({ ctx, input }) =>
    command(async () => {
      const services = await ctx.services();
      await sharedSessionOf(services.db, ctx.link, input.sessionId);
      return sharedSpanDetail(services, ctx.link, await shareRedactor(services), input.spanId);
    }),
  ),

  /**
   * Live notices for the shared tree: the id of each is the last event's seq (resume with
   * lastEventId as the team's stream does); the page re-reads `view` on each. Ends when the link
   * stops opening.
   */
  events: shareProcedure
    .input(z.object({ sessionId, lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const services = await ctx.services();
      await command(() => sharedSessionOf(services.db, ctx.link, input.sessionId));
      const key = await treeStream(services, ctx.link.sessionId);
      if (!key) throw new TRPCError({ code: "NOT_FOUND", message: LINK_NOT_AVAILABLE });
      const lastSeq = input.lastEventId ? Number(input.lastEventId) : undefined;
      const notices = followSharedTree(services, { linkId: ctx.link.id, key, lastSeq }, signal ?? new AbortController().signal);
      try {
        for await (const seq of notices) yield tracked(String(seq), { seq });
      } catch (error) {
        if (error instanceof ShareError) throw new TRPCError({ code: "NOT_FOUND", message: LINK_NOT_AVAILABLE });
        throw error;
      }
    }),
});
