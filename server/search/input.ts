import { z } from "zod";
import { rowId } from "~/server/row-id";
import { listStatuses } from "~/server/store/session-list";

// PostgreSQL text cannot hold NUL: a search for one finds what the rest of the text finds.
const withoutNul = z.string().transform((s) => s.replaceAll("\u0000", ""));

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: "Dates are ISO dates such as 2026-12-03" });

/** Narrow a search to trees (the root's runner, starter, status, dates, cost...) or to sessions (model, agent). */
export const searchFilters = z
  .object({
    runnerId: rowId("Runner").optional(),
    startedById: withoutNul.pipe(z.string().min(1).max(100)).optional(),
    /** The root's status; "gone" finds trees removed from their runner whose archive is kept. */
    status: z.enum(listStatuses).optional(),
    /** Trees active on or after this date (their last activity). */
    from: isoDate.optional(),
    /** Trees started on or before this date (a bare date includes that whole day). */
    to: isoDate.optional(),
    /** The matched session's model: `provider/model` or the model id alone. */
    model: withoutNul.pipe(z.string().trim().min(1).max(200)).optional(),
    /** The matched session's agent. */
    agent: withoutNul.pipe(z.string().trim().min(1).max(100)).optional(),
    /** Range of the whole tree's cost, in dollars. */
    minCost: z.number().min(0).optional(),
    maxCost: z.number().min(0).optional(),
    /** Trees with (or without) a failed turn or a session in error. */
    hasErrors: z.boolean().optional(),
    /** Trees with (or without) sub-agents. */
    hasSubAgents: z.boolean().optional(),
  })
  .strict();

export const MAX_TREES = 50;

/** Whether any filter is set (a form leaves the others undefined). */
export const hasFilters = (filters: SearchFilters | undefined): boolean => Object.values(filters ?? {}).some((v) => v !== undefined);

export const searchInput = z
  .object({
    /** Empty with filters: the trees the filters keep, latest activity first, without matches. */
    q: withoutNul.pipe(z.string().trim().max(200, { message: "Search text is at most 200 characters" })).default(""),
    filters: searchFilters.optional(),
    /** Opaque: the nextCursor of the previous page. */
    cursor: z.string().regex(/^\d{1,6}$/, { message: "Not a search cursor" }).optional(),
    /** Trees per page. */
    limit: z.number().int().min(1).max(MAX_TREES).default(20),
  })
  .refine((input) => input.q !== "" || hasFilters(input.filters), { message: "Type something to search for, or choose a filter", path: ["q"] });

export type SearchFilters = z.infer<typeof searchFilters>;
export type SearchInput = z.input<typeof searchInput>;

/** The search's fields as its page names them in a refusal: the words' own messages need no name. */
export const SEARCH_FIELDS = { q: "", filters: "" };
