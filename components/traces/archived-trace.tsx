import { AppLink } from "~/components/layout/app-link";
import { TeamTrace } from "./team-trace";
import type { TraceSummary } from "./types";

/**
 * On an archived session's page: the tree's trace summary (rendered on the server, so it reads
 * without JavaScript) and a compact waterfall that reads its spans in the browser, with a link to
 * the full traces page. An archive does not change, so it is not followed live.
 */
export function ArchivedTrace({ sessionId, summary }: { sessionId: string; summary: TraceSummary }) {
  return (
    <section className="mt-4 space-y-2" data-testid="archived-trace" aria-label="Trace">
      <div className="flex items-baseline gap-3">
        <h2 className="text-sm font-medium text-slate-700">Trace</h2>
        <AppLink href={`/sessions/${sessionId}/traces`} className="text-xs text-sky-700 hover:underline">
          Open the full traces page
        </AppLink>
      </div>
      <TeamTrace sessionId={sessionId} initial={{ summary }} live={false} compact />
    </section>
  );
}
