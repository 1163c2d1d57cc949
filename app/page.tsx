import { api } from "~/server/api/server-caller";
import { SessionDashboard, type DashboardFilters } from "~/components/sessions/session-dashboard";
import { StatusLine } from "~/components/system/status-line";
import { NeedsYouPanel } from "~/components/needs-you/needs-you-panel";
import type { DisplayStatus } from "~/components/session/status";
import { isSessionId } from "~/components/session/ids";
import { listStatuses } from "~/server/store/session-list";

export const dynamic = "force-dynamic";

const STATUSES = new Set<string>(listStatuses);

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function HomePage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const one = (key: string) => (typeof params[key] === "string" ? (params[key] as string) : undefined);
  const status = one("status");
  const runner = one("runner");
  const initial: DashboardFilters = {
    status: status && STATUSES.has(status) ? (status as DisplayStatus) : undefined,
    runnerId: runner && isSessionId(runner) ? runner : undefined,
    search: one("q"),
  };
  const health = await (await api()).health.check();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-semibold">Sessions</h1>
        <StatusLine health={health} />
      </div>
      <NeedsYouPanel />
      {/* Keyed by its filters: a link to other filters (the command palette's runner results) while
          the dashboard is open starts it again with them instead of keeping the old ones. */}
      <SessionDashboard key={JSON.stringify(initial)} initial={initial} />
    </div>
  );
}
