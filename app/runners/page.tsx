import { api } from "~/server/api/server-caller";
import { hasRole } from "~/server/auth/caller";
import { RunnerForm } from "~/components/runners/runner-form";
import { RunnerCard } from "~/components/runners/runner-card";
import { AutoRefresh } from "~/components/system/auto-refresh";

export const dynamic = "force-dynamic";

export default async function RunnersPage() {
  const caller = await api();
  const runners = await caller.runner.list();
  const recent = await Promise.all(runners.map((r) => caller.session.list({ runnerId: r.id, limit: 5 })));
  const isAdmin = hasRole(await caller.account.me(), "admin");
  return (
    <div className="space-y-6">
      <AutoRefresh everyMs={5_000} />
      <h1 className="text-2xl font-semibold">Runners</h1>
      {runners.length === 0 ? (
        <p className="text-sm text-slate-500">No runners registered yet.</p>
      ) : (
        runners.map((r, i) => <RunnerCard key={r.id} runner={r} recent={recent[i]!.items} isAdmin={isAdmin} />)
      )}
      {isAdmin ? (
        <section className="space-y-2">
          <h2 className="text-lg font-semibold">Add a remote runner</h2>
          <p className="text-sm text-slate-500">
            Any <code>opencode serve</code> this server can reach; the password is its OPENCODE_SERVER_PASSWORD.
          </p>
          <RunnerForm />
        </section>
      ) : (
        <p className="text-sm text-slate-500" data-testid="add-runner-admins">
          An admin adds remote runners.
        </p>
      )}
    </div>
  );
}
