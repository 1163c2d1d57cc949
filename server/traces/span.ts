import { z } from "zod";
import { Tokens } from "~/server/stream/entities";

/**
 * The trace of a session tree as one flat list of spans (the waterfall's rows), and what the
 * summary says about it. Every span of a tree is on the runner's clock, in epoch milliseconds.
 *
 * Nesting: a root session's turns have no parent; a turn holds its model steps (one per
 * assistant message); a step holds the tool calls it made; a `task` tool call is a `subagent`
 * span holding the child session's turns; a wait (a permission or question request) sits under
 * the tool call that asked, or its turn; a retry sits under its turn.
 */
export const SpanKind = z.enum(["turn", "step", "tool", "subagent", "wait", "retry"]);
export type SpanKind = z.infer<typeof SpanKind>;

/** `interrupted`: still running when its session went idle, errored or was aborted. */
export const SpanStatus = z.enum(["running", "completed", "error", "interrupted", "aborted"]);
export type SpanStatus = z.infer<typeof SpanStatus>;

// A step's tokens, as the runner reports them on its message.
export { Tokens };

export const Span = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  /** The archive id of the session the span belongs to. */
  sessionId: z.string(),
  kind: SpanKind,
  /** Tool name, model id, "Turn 3", "permission: bash"... */
  name: z.string(),
  /** A tool call's title, a turn's prompt (first line), a wait's reply. */
  detail: z.string().nullable(),
  startMs: z.number(),
  /** Null while running: the waterfall draws it to "now". */
  endMs: z.number().nullable(),
  status: SpanStatus,
  agent: z.string().nullable(),
  model: z.string().nullable(),
  /** Steps only. */
  tokens: Tokens.nullable(),
  /** Steps only: null when the price is unknown (never shown as $0). */
  cost: z.number().nullable(),
  /** Subagent spans: the child session they hold. */
  childSessionId: z.string().nullable(),
});
export type Span = z.infer<typeof Span>;

export const SpanPage = z.object({ spans: z.array(Span), nextCursor: z.string().nullable(), total: z.number() });
export type SpanPage = z.infer<typeof SpanPage>;

/** What a span panel loads on demand: the tool call's input and output. */
export const SpanDetail = z.object({
  id: z.string(),
  input: z.unknown().nullable(),
  output: z.string().nullable(),
  outputTruncated: z.boolean(),
  outputBytes: z.number(),
  error: z.string().nullable(),
});
export type SpanDetail = z.infer<typeof SpanDetail>;

export const Totals = z.object({
  tokens: Tokens,
  /** The sum of known costs; `unpricedSteps` says how many steps had no price. */
  cost: z.number(),
  unpricedSteps: z.number(),
  steps: z.number(),
  toolCalls: z.number(),
  failures: z.number(),
});
export type Totals = z.infer<typeof Totals>;

export const GroupTotals = Totals.extend({ key: z.string() });

export const ToolStats = z.object({
  tool: z.string(),
  count: z.number(),
  totalMs: z.number(),
  p95Ms: z.number(),
  failures: z.number(),
});

export const TraceSummary = z.object({
  rootSessionId: z.string(),
  spanCount: z.number(),
  startMs: z.number().nullable(),
  endMs: z.number().nullable(),
  running: z.boolean(),
  tree: Totals,
  /** Each session of the tree: its own totals and those rolled up over every descendant. */
  sessions: z.array(
    z.object({
      sessionId: z.string(),
      parentSessionId: z.string().nullable(),
      title: z.string(),
      agent: z.string().nullable(),
      depth: z.number(),
      own: Totals,
      rolledUp: Totals,
    }),
  ),
  byAgent: z.array(GroupTotals),
  byModel: z.array(GroupTotals),
  byTool: z.array(ToolStats),
  /** Wall time of the tree split between the model, tools and waiting on a human. */
  time: z.object({ modelMs: z.number(), toolMs: z.number(), waitingMs: z.number() }),
  /** The spans that decided when the tree finished, in time order, each before those inside it. */
  criticalPath: z.array(z.string()),
  slowestTools: z.array(Span),
  expensiveSteps: z.array(Span),
});
export type TraceSummary = z.infer<typeof TraceSummary>;
