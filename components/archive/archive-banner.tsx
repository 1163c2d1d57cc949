import { statEntries, type TreeStats } from "~/server/archive/stats";
import type { ReactNode } from "react";
import { formatCost, formatDuration, formatTokens } from "~/components/session/format";
import { LocalTime } from "~/components/session/local-time";

// The archived banner: why the archive is shown, and the totals of the whole tree.

const reasons: Record<string, string> = {
  deleted: "This session was deleted from its runner. You are reading its archive.",
  "runner-unavailable": "The runner of this session is not serving. You are reading its archive.",
  "gone-from-runner": "The runner no longer has this session. You are reading its archive.",
  requested: "You are reading the archive of this session.",
};

/** `ofTree`: a sub-agent's page, whose banner counts its whole tree, so it says so. */
export function ArchiveBanner({ reason, stats, message, ofTree }: { reason: string; stats: TreeStats; message?: ReactNode; ofTree?: { rootTitle: string } }) {
  const items = statEntries(stats, { duration: formatDuration, tokens: formatTokens, cost: formatCost, time: (at) => <LocalTime at={at} /> });
  return (
    <section data-testid="archived-banner" className="rounded-lg border border-violet-200 bg-violet-50 px-4 py-3">
      <p className="text-sm font-medium text-violet-900">{message ?? reasons[reason] ?? reasons.requested}</p>
      {ofTree && (
        <p className="mt-1 text-xs text-violet-800" data-testid="archived-banner-scope">
          The figures below are of the whole tree, “{ofTree.rootTitle || "Untitled session"}” and every sub-agent, not this sub-agent alone.
        </p>
      )}
      <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 text-xs sm:grid-cols-4 lg:grid-cols-6">
        {items.map(([label, value]) => (
          <div key={label} data-testid="archive-stat" data-stat={label}>
            <dt className="text-violet-700">{label}</dt>
            <dd className="font-medium tabular-nums text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
