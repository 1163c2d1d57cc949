import type { UsageInput, UsageRange } from "./range";

/**
 * The address of a usage view, shared by the page and the CSV export so a link or a bookmark
 * names the same view: `?from=YYYY-MM-DD&to=YYYY-MM-DD&runner=<id>&bucket=week`. An empty field
 * (a form sent with a date left blank) is the default.
 */
export function usageInputOf(params: URLSearchParams): UsageInput {
  const one = (name: string) => params.get(name)?.trim() || undefined;
  return { from: one("from"), to: one("to"), runnerId: one("runner"), bucket: one("bucket") as UsageInput["bucket"] };
}

/** The address's names of the input's fields, for what a refusal says (`runner`, not `runnerId`). */
export const USAGE_FIELDS = { runnerId: "runner", bucket: "" };

/** The query string of a view (defaults left out), with `?`, or "" for the default view. */
export function usageSearch(view: Partial<Omit<UsageRange, "runnerId">> & { runnerId?: string | null }): string {
  const params = new URLSearchParams();
  if (view.from) params.set("from", view.from);
  if (view.to) params.set("to", view.to);
  if (view.runnerId) params.set("runner", view.runnerId);
  if (view.bucket && view.bucket !== "day") params.set("bucket", view.bucket);
  const text = params.toString();
  return text ? `?${text}` : "";
}
