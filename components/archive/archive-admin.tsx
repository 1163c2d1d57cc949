import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";
import type { ImportNotice } from "~/server/archive/import-notice";
import { ImportUploadForm } from "./import-upload-form";

type Retention = inferRouterOutputs<AppRouter>["archive"]["retention"];

/** Upload of an opencode.db (posting to /api/archive/import), with the outcome of the last one. */
export function ImportForm({ notice, maxBytes }: { notice?: ImportNotice; maxBytes: number }) {
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">Import an opencode database</h2>
      <p className="text-sm text-slate-600">
        Rebuilds the archives of every session tree in an <code>opencode.db</code> (from <code>~/.local/share/opencode/</code>{" "}
        of a runtime that is gone), sub-agents included. Importing the same file again changes nothing.
      </p>
      {notice?.tone === "result" && (
        <p data-testid="import-result" className="rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {notice.text}
        </p>
      )}
      {notice?.tone === "error" && (
        <p data-testid="import-error" role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {notice.text}
        </p>
      )}
      <ImportUploadForm maxBytes={maxBytes} />
    </section>
  );
}

export function RetentionTable({ retention }: { retention: Retention }) {
  const days = (d: number | null) => (d === null ? `global (${retention.days ? `${retention.days} days` : "forever"})` : d === 0 ? "forever" : `${d} days`);
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="retention">
      <h2 className="font-semibold">Retention</h2>
      <p className="text-sm text-slate-600">
        Archives gone from their runner (deleted, or of a stopped or imported runner) are{" "}
        {retention.days ? `purged ${retention.days} days after their last activity` : "kept forever (FLIGHTDECK_RETENTION_DAYS is 0)"};
        trees with an active share link are {retention.purgeShared ? "purged too" : "kept"}. A runner&apos;s own setting
        overrides the global one (empty: follow it; 0: keep forever).
      </p>
      <table className="text-sm">
        <tbody>
          {retention.runners.map((r) => (
            <tr key={r.id} data-testid="runner-retention" data-runner={r.name}>
              <td className="pr-6">{r.name}</td>
              <td className="pr-6 text-slate-600">{days(r.retentionDays)}</td>
              <td>
                <form method="post" action="/api/archive/retention" className="flex items-center gap-2">
                  <input type="hidden" name="runnerId" value={r.id} />
                  <input
                    name="days"
                    type="number"
                    min={0}
                    defaultValue={r.retentionDays ?? ""}
                    placeholder="global"
                    aria-label={`Retention days for ${r.name}`}
                    className="w-24 rounded border border-slate-300 px-2 py-0.5 text-sm"
                  />
                  <button type="submit" className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50">
                    Save
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
