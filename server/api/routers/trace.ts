import { z } from "zod";
import { command } from "~/server/api/errors";
import { createTRPCRouter, viewerProcedure } from "~/server/api/trpc";
import { rowId } from "~/server/row-id";
import { treeStream } from "~/server/sessions/tree-stream";
import { followTrace } from "~/server/traces/live";
import { DEFAULT_PAGE, MAX_PAGE, spanDetail, spanPage, summaryOf } from "~/server/traces/trace";

const sessionId = rowId("Session");
export const spansInput = z.object({
  sessionId,
  cursor: z.string().max(20).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
});
export const spanInput = z.object({ sessionId, spanId: rowId("Span") });

// The trace of a session's whole tree (any member's id gives the tree's): spans, summary, a
// span's input and output, and live span changes. Share-link readers have their own, redacted
// procedures in the share router.
export const traceRouter = createTRPCRouter({
  /** The tree's spans in start order, a page at a time. */
  spans: viewerProcedure.input(spansInput).query(async ({ ctx, input }) =>
    command(async () => spanPage((await (await ctx.services()).traces.trace(input.sessionId)).spans, input.cursor, input.limit)),
  ),

  summary: viewerProcedure
    .input(z.object({ sessionId }))
    .query(async ({ ctx, input }) => command(async () => summaryOf(await (await ctx.services()).traces.trace(input.sessionId)))),

  /** What the span panel loads on demand: a tool call's input and output. */
  span: viewerProcedure.input(spanInput).query(async ({ ctx, input }) =>
    command(async () => spanDetail((await ctx.services()).db, input.sessionId, input.spanId)),
  ),

  /** Spans that start, change or finish, as they are stored (running ones have no end yet). */
  live: viewerProcedure.input(z.object({ sessionId })).subscription(async function* ({ ctx, input, signal }) {
    const services = await ctx.services();
    await command(async () => {
      await services.traces.trace(input.sessionId);
      await treeStream(services, input.sessionId);
    });
    for await (const spans of followTrace(services, input.sessionId, signal ?? new AbortController().signal)) yield { spans };
  }),
});
