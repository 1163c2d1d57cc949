import { AppLink } from "~/components/layout/app-link";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";
import { StatusBadge } from "~/components/session/status-badge";
import type { SessionRow } from "~/components/sessions/session-table";
import { RunnerWorktrees } from "~/components/worktrees/runner-worktrees";
import { TimeAgo } from "~/components/session/time-ago";
import { RunnerPermissions } from "./runner-permissions";
import { RunnerForm } from "./runner-form";
import { RemoveRunner } from "./remove-runner";

type Runner = inferRouterOutputs<AppRouter>["runner"]["list"][number];

const health: Record<string, string> = {
  healthy: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  starting: "bg-sky-50 text-sky-800 ring-sky-200",
  unhealthy: "bg-red-50 text-red-800 ring-red-200",
  stopped: "bg-slate-100 text-slate-600 ring-slate-200",
};

function kindLabel(runner: Runner): string {
  if (runner.kind === "embedded") return "Embedded (started by Flightdeck)";
  return runner.imported ? "Imported from an opencode database; not serving" : "Remote";
}

/** One runner: health, version, where it works, its latest sessions and its session worktrees. */
export function RunnerCard({ runner, recent, isAdmin }: { runner: Runner; recent: SessionRow[]; isAdmin: boolean }) {
  return (
    <section data-testid="runner" data-runner-id={runner.id} className="rounded-lg border border-slate-200 bg-white p-4">
      <header className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">{runner.name}</h2>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${health[runner.status] ?? health.stopped}`}>
          {runner.status}
        </span>
        <span className="text-xs text-slate-500">{kindLabel(runner)}</span>
        <span className="flex-1" />
        <AppLink href={`/?runner=${runner.id}`} className="text-sm text-sky-700 hover:underline">
          <span data-testid="runner-tree-count">
            {runner.trees} session tree{runner.trees === 1 ? "" : "s"}
          </span>{" "}
          on it (sub-agents count in their tree) →
        </AppLink>
      </header>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-500">opencode version</dt>
          <dd>{runner.version ?? "unknown"}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Last seen</dt>
          <dd>{runner.lastSeenAt ? <TimeAgo at={runner.lastSeenAt} /> : "never"}</dd>
        </div>
        <div className="col-span-2">
          <dt className="text-xs text-slate-500">{runner.kind === "embedded" ? "Workspace" : runner.imported ? "Imported from" : "Address"}</dt>
          <dd className="truncate font-mono text-xs">{runner.defaultDirectory ?? runner.url}</dd>
        </div>
      </dl>
      {runner.lastError && !runner.imported && <p className="mt-2 rounded bg-red-50 px-3 py-1.5 text-xs text-red-800">Last error: {runner.lastError}</p>}
      {isAdmin && runner.kind === "remote" && !runner.imported && (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm text-sky-700 hover:underline">Change its name, address or credentials</summary>
          <div className="mt-2">
            <RunnerForm editing={{ id: runner.id, name: runner.name, url: runner.url }} />
          </div>
        </details>
      )}
      {/* A runner with sessions keeps them (and so stays); one with none can go. */}
      {isAdmin && runner.kind === "remote" && runner.trees === 0 && <RemoveRunner runnerId={runner.id} name={runner.name} />}
      <h3 className="mt-4 text-xs font-medium uppercase tracking-wide text-slate-500">Latest sessions</h3>
      {recent.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">No sessions on this runner yet.</p>
      ) : (
        <ul className="mt-1 divide-y divide-slate-100">
          {recent.map((s) => (
            <li key={s.id} className="flex items-center gap-3 py-1.5 text-sm">
              <StatusBadge status={s.displayStatus} />
              <AppLink href={`/sessions/${s.id}`} className="min-w-0 flex-1 truncate hover:text-sky-700 hover:underline">
                {s.title || "Untitled session"}
              </AppLink>
              <TimeAgo at={s.lastActivityAt} className="text-xs text-slate-500" />
            </li>
          ))}
        </ul>
      )}
      <RunnerPermissions runnerId={runner.id} kind={runner.kind} alwaysAllow={runner.alwaysAllow} isAdmin={isAdmin} />
      <RunnerWorktrees runnerId={runner.id} serving={runner.status === "healthy"} isAdmin={isAdmin} worktreeByDefault={runner.worktreeByDefault} />
    </section>
  );
}
