import { z } from "zod";
import { rowId } from "~/server/row-id";

/**
 * What a usage view covers: whole UTC days from `from` to `to` (both included), one runner or
 * all, and the bucket of its time series (weeks start on Monday, UTC).
 */
export const DEFAULT_DAYS = 30;
/** Two years of days: a daily series stays a few hundred points. */
export const MAX_DAYS = 731;
export const buckets = ["day", "week"] as const;
export type Bucket = (typeof buckets)[number];

const DAY_MS = 86_400_000;

// No agent session is older than 2000, and day arithmetic stays within four-digit years.
const FIRST_DAY = "2000-01-01";
const LAST_DAY = "2999-12-31";
const isoDay = z.iso
  .date({ message: "Dates are YYYY-MM-DD", abort: true })
  .refine((day) => day >= FIRST_DAY && day <= LAST_DAY, { message: `Dates are between ${FIRST_DAY} and ${LAST_DAY}` });

export const usageInput = z
  .object({
    from: isoDay.optional(),
    to: isoDay.optional(),
    runnerId: rowId("Runner").optional(),
    bucket: z.enum(buckets, { message: "Usage is grouped per day or per week" }).default("day"),
  })
  .superRefine((input, ctx) => {
    // Fields already refused are reported as such; the range is checked once both are days.
    if (![input.from, input.to].every((day) => day === undefined || isoDay.safeParse(day).success)) return;
    const { from, to } = resolveRange(input, new Date());
    if (from > to) ctx.addIssue({ code: "custom", path: ["from"], message: `The range starts (${from}) after it ends (${to})` });
    else if (daysBetween(from, to) + 1 > MAX_DAYS) ctx.addIssue({ code: "custom", path: ["from"], message: `A range holds at most ${MAX_DAYS} days` });
  });
export type UsageInput = z.input<typeof usageInput>;

export type UsageRange = { from: string; to: string; runnerId: string | null; bucket: Bucket };

/** The range a request names, defaults filled: up to today (UTC), the 30 days before `to`. */
export function resolveRange(input: { from?: string; to?: string; runnerId?: string; bucket?: Bucket }, now: Date): UsageRange {
  const today = dayOf(now);
  const to = input.to ?? (input.from && input.from > today ? input.from : today);
  return { from: input.from ?? addDays(to, 1 - DEFAULT_DAYS), to, runnerId: input.runnerId ?? null, bucket: input.bucket ?? "day" };
}

/** The UTC day of an instant, as YYYY-MM-DD. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The first day of the bucket holding `day`: itself, or the Monday of its week. */
export function bucketStart(day: string, bucket: Bucket): string {
  if (bucket === "day") return day;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** Every bucket the range touches, in order (a week cut by the range still starts on its Monday). */
export function bucketsOf(range: Pick<UsageRange, "from" | "to" | "bucket">): string[] {
  const out: string[] = [];
  const step = range.bucket === "day" ? 1 : 7;
  for (let at = bucketStart(range.from, range.bucket); at <= range.to; at = addDays(at, step)) out.push(at);
  return out;
}
