// Plain HTML forms posting to route handlers: they work with JavaScript disabled, and the route
// handlers call the same tRPC procedures (same role checks) as the rest of the app.

const button = "rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset";

export function ForkForm({ sessionId, turns }: { sessionId: string; turns: number }) {
  return (
    <form method="post" action={`/api/archive/${sessionId}/fork`} className="flex items-center gap-2" data-testid="fork-form">
      {turns > 1 && (
        <label className="text-xs text-slate-600">
          through turn{" "}
          <select name="throughTurn" defaultValue={String(turns)} className="rounded border border-slate-300 px-1 py-0.5 text-xs">
            {Array.from({ length: turns }, (_, i) => (
              <option key={i + 1} value={i + 1}>
                {i + 1}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className={`${button} bg-violet-600 text-white ring-violet-600 hover:bg-violet-700`}>
        Fork
      </button>
    </form>
  );
}

/** `archiveView`: posted from the archive read on request, and back to it once synced. */
export function SyncForm({ sessionId, archiveView = false }: { sessionId: string; archiveView?: boolean }) {
  return (
    <form method="post" action={`/api/archive/${sessionId}/sync${archiveView ? "?view=archive" : ""}`} data-testid="sync-form">
      <button type="submit" className={`${button} bg-white text-slate-700 ring-slate-300 hover:bg-slate-50`}>
        Sync archive now
      </button>
    </form>
  );
}

export function ExportLinks({ sessionId }: { sessionId: string }) {
  const link = "text-sm text-sky-700 hover:underline";
  return (
    <span className="flex items-center gap-3" data-testid="export-links">
      <a href={`/api/archive/${sessionId}/export?format=json`} className={link} download>
        Export JSON
      </a>
      <a href={`/api/archive/${sessionId}/export?format=html`} className={link} download>
        Export HTML
      </a>
    </span>
  );
}

/** Admin only, for deleted trees: the confirmation is typing the session id (no script needed). */
export function PurgeForm({ sessionId }: { sessionId: string }) {
  return (
    <details className="text-sm" data-testid="purge">
      <summary className="cursor-pointer text-red-700">Purge archive…</summary>
      <form method="post" action={`/api/archive/${sessionId}/purge`} className="mt-2 space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
        <p className="text-xs text-red-900">
          Purging removes this whole tree&apos;s conversation for good; only a tombstone remains (its address answers
          410). Type the session id <code className="font-mono">{sessionId}</code> to confirm.
        </p>
        <input name="confirm" required pattern={sessionId} aria-label="Session id to confirm the purge" className="w-full rounded border border-red-300 px-2 py-1 font-mono text-xs" />
        <button type="submit" className={`${button} bg-red-600 text-white ring-red-600 hover:bg-red-700`}>
          Purge for good
        </button>
      </form>
    </details>
  );
}
