import type { SearchFilters } from "~/server/search/input";
import { listStatuses } from "~/server/store/session-list";
import { statusLabel } from "~/components/session/status";

type Facets = { runners: { id: string; name: string }[]; people: { id: string; name: string }[]; models: string[]; agents: string[] };

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const yesNo = (value: boolean | undefined) => (value === true ? "yes" : value === false ? "no" : "");

function Choice({ name, label, value, options }: { name: string; label: string; value?: string; options: { value: string; label: string }[] }) {
  return (
    <label className="flex flex-col gap-1 text-xs text-slate-700">
      {label}
      {/* Named by its label alone: a wrapping label would also name it by every option's text. */}
      <select name={name} defaultValue={value ?? ""} aria-label={label} className={field}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The search and its filters as a plain GET form: it works without JavaScript, and its address can be shared. */
export function SearchForm({ q, filters, facets }: { q: string; filters: SearchFilters; facets: Facets }) {
  const both = [{ value: "yes", label: "Yes" }, { value: "no", label: "No" }];
  return (
    <form method="get" action="/search" role="search" className="space-y-3">
      <div className="flex gap-2">
        <input
          type="search"
          name="q"
          defaultValue={q}
          maxLength={200}
          aria-label="Search text"
          placeholder={`Words, "a phrase", pref*, -excluded`}
          className="flex-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm"
        />
        <button type="submit" className="rounded-md bg-slate-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          Search
        </button>
      </div>
      <details open={Object.keys(filters).length > 0} className="rounded-md border border-slate-200 bg-white p-3">
        <summary className="cursor-pointer text-sm font-medium text-slate-700">Filters</summary>
        <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Choice name="runner" label="Runner" value={filters.runnerId} options={facets.runners.map((r) => ({ value: r.id, label: r.name }))} />
          <Choice name="by" label="Started by" value={filters.startedById} options={facets.people.map((p) => ({ value: p.id, label: p.name }))} />
          <Choice name="status" label="Status" value={filters.status} options={listStatuses.map((s) => ({ value: s, label: statusLabel[s] }))} />
          <Choice name="model" label="Model" value={filters.model} options={facets.models.map((m) => ({ value: m, label: m }))} />
          <Choice name="agent" label="Agent" value={filters.agent} options={facets.agents.map((a) => ({ value: a, label: a }))} />
          <Choice name="errors" label="Has errors" value={yesNo(filters.hasErrors)} options={both} />
          <Choice name="subagents" label="Has sub-agents" value={yesNo(filters.hasSubAgents)} options={both} />
          <label className="flex flex-col gap-1 text-xs text-slate-700">
            Active from
            <input type="date" name="from" defaultValue={filters.from} className={field} />
          </label>
          <label className="flex flex-col gap-1 text-xs text-slate-700">
            Started until
            <input type="date" name="to" defaultValue={filters.to} className={field} />
          </label>
          <label className="flex flex-col gap-1 text-xs text-slate-700">
            Tree cost from ($)
            <input type="number" min="0" step="any" name="minCost" defaultValue={filters.minCost} className={field} />
          </label>
          <label className="flex flex-col gap-1 text-xs text-slate-700">
            Tree cost up to ($)
            <input type="number" min="0" step="any" name="maxCost" defaultValue={filters.maxCost} className={field} />
          </label>
        </div>
      </details>
    </form>
  );
}
