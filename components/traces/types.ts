// The waterfall works on the server's contract (server/traces/span.ts); these are its types,
// re-exported so the view's modules import one place. Types only: nothing of the server is
// bundled into the browser.
export type { Span, SpanDetail, SpanKind, SpanPage, SpanStatus, Tokens, Totals, TraceSummary } from "~/server/traces/span";

/** A time range on the runner's clock, epoch milliseconds, `start` < `end`. */
export type Range = { start: number; end: number };
