import type { Health } from "~/server/health/check";

const databaseLabel = { pglite: "PGlite (embedded)", postgresql: "PostgreSQL" } as const;

export function StatusLine({ health }: { health: Health }) {
  const { database } = health;
  return (
    <p className="text-xs text-slate-500" data-testid="status-line">
      Flightdeck {health.version} · Database: {databaseLabel[database.kind]}{" "}
      {database.ok ? (
        <span className="text-emerald-700">connected</span>
      ) : (
        <span className="text-red-700">unreachable: {database.error}</span>
      )}
    </p>
  );
}
