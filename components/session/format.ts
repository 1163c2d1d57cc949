// Number and time formatting shared by the session views. Pure, locale-stable (en-US) so a
// server render and a client render of the same data print the same text.

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en-US");

export function formatTokens(n: number): string {
  return n < 10_000 ? whole.format(n) : compact.format(n);
}

export function formatCost(usd: number): string {
  if (usd === 0) return "$0";
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

// hourCycle, not hour12: false, which Node's ICU reads as 1-24 ("24:05" after midnight).
const dateTimeFields = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" } as const;
const dateTime = new Intl.DateTimeFormat("en-US", dateTimeFields);
const utcDateTime = new Intl.DateTimeFormat("en-US", { ...dateTimeFields, timeZone: "UTC" });

/** In this process's time zone: the reader's in a browser (see LocalTime for rendered times). */
export function formatTime(at: Date | number | string | undefined): string {
  if (at === undefined) return "";
  return dateTime.format(new Date(at));
}

/** The same in UTC, labelled: what a server (which does not know the reader's zone) renders. */
export function formatUtcTime(at: Date | number | string): string {
  return `${utcDateTime.format(new Date(at))} UTC`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "just now", "3 minutes ago", "yesterday", "in 2 hours"; past a week, the date and time. */
export function relativeTime(at: Date | number | string, now: number): string {
  const ms = new Date(at).getTime() - now;
  const abs = Math.abs(ms);
  if (abs < 45_000) return "just now";
  if (abs >= 7 * 86_400_000) return formatTime(at);
  const [unit, size] = UNITS.find(([, size]) => abs >= size) ?? UNITS[UNITS.length - 1]!;
  return relative.format(Math.round(ms / size), unit);
}
