import { AppLink } from "~/components/layout/app-link";
import type { UsageInput, UsageRange } from "~/server/usage/range";
import { usageSearch } from "~/server/usage/search-params";

type Runner = { id: string; name: string };

/**
 * The range and runner, as a plain GET form (the view is its address: a link, a bookmark, the
 * back button and a browser without JavaScript all work), and the CSV of the same view.
 */
export function UsageFilters({ range, asked, runners }: { range: UsageRange; asked: UsageInput; runners: Runner[] }) {
  const field = "rounded border border-slate-300 px-2 py-1 text-sm";
  return (
    <form method="get" action="/usage" className="flex flex-wrap items-end gap-3" data-testid="usage-filters">
      <label className="text-sm">
        <span className="block text-xs text-slate-500">From (UTC)</span>
        <input type="date" name="from" defaultValue={range.from} className={field} />
      </label>
      <label className="text-sm">
        <span className="block text-xs text-slate-500">To (UTC)</span>
        <input type="date" name="to" defaultValue={range.to} className={field} />
      </label>
      <label className="text-sm">
        <span className="block text-xs text-slate-500">Runner</span>
        <select name="runner" defaultValue={range.runnerId ?? ""} className={field}>
          <option value="">All runners</option>
          {runners.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      {range.bucket !== "day" && <input type="hidden" name="bucket" value={range.bucket} />}
      <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
        Show
      </button>
      <a href={`/api/usage/csv${usageSearch(asked)}`} download className="text-sm text-sky-700 hover:underline" data-testid="usage-csv">
        Download CSV (one row per session tree)
      </a>
    </form>
  );
}

/** Per day / per week, as links to the same view (the dates as asked: "the last 30 days" stays so). */
export function BucketToggle({ range, asked }: { range: UsageRange; asked: UsageInput }) {
  return (
    <nav aria-label="Bucket" className="inline-flex overflow-hidden rounded-md border border-slate-300 text-sm" data-testid="usage-bucket">
      {(["day", "week"] as const).map((bucket) => (
        <AppLink
          key={bucket}
          href={`/usage${usageSearch({ ...asked, bucket })}`}
          aria-current={range.bucket === bucket ? "page" : undefined}
          className={range.bucket === bucket ? "bg-slate-900 px-3 py-1 text-white" : "bg-white px-3 py-1 text-slate-700 hover:bg-slate-50"}
        >
          Per {bucket}
        </AppLink>
      ))}
    </nav>
  );
}
