import { AuditLog } from "~/components/team/audit-log";
import { TeamAdmin } from "~/components/team/team-admin";
import { AutoRefresh } from "~/components/system/auto-refresh";
import { forbiddenAsNull } from "~/server/api/page-access";
import { api } from "~/server/api/server-caller";

export const dynamic = "force-dynamic";

/** Team administration and the audit log. Admins only. */
export default async function TeamPage() {
  const caller = await api();
  const audit = await forbiddenAsNull(caller.team.audit({ limit: 200 }));
  const me = await caller.account.me();
  if (!audit || me.kind !== "user") return <p className="text-sm text-slate-600">Team administration needs the admin role.</p>;
  return (
    <div className="space-y-8">
      {/* The audit log follows what the team does (and the page, a role the admin just lost). */}
      <AutoRefresh everyMs={10_000} />
      <h1 className="text-2xl font-semibold">Team</h1>
      <TeamAdmin selfId={me.userId} />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Audit log</h2>
        <AuditLog rows={audit} showSession />
      </section>
    </div>
  );
}
