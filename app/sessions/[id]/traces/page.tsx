import { AppLink } from "~/components/layout/app-link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { api } from "~/server/api/server-caller";
import { archiveErrorData } from "~/server/api/errors";
import { isSessionId } from "~/components/session/ids";
import { PurgedSession } from "~/components/archive/archived-session";
import { TeamTrace } from "~/components/traces/team-trace";
import { markUnrepresentable } from "~/server/store/lossless-text";

export const dynamic = "force-dynamic";

// The first page is small (a screen holds a few dozen rows) so the page is quick to send and to
// hydrate; the browser reads the rest in large pages.
const FIRST_PAGE = 300;

// The waterfall of the whole tree the session belongs to: the first page of spans and the summary
// are read here (one round trip, no HTTP hop), the client view reads the rest and follows it live.
export default async function TracesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isSessionId(id)) notFound();
  const caller = await api();
  const loaded = await Promise.all([caller.trace.spans({ sessionId: id, limit: FIRST_PAGE }), caller.trace.summary({ sessionId: id })]).catch((error: unknown) => {
    if (error instanceof TRPCError) {
      const kind = archiveErrorData(error)?.kind;
      if (kind === "purged") return { purged: error.message };
      if (kind === "unknown" || error.code === "NOT_FOUND") notFound();
    }
    throw error;
  });
  if ("purged" in loaded) return <PurgedSession message={loaded.purged} />;
  const [page, summary] = loaded;
  // A tree deleted from its runner, or on a runner that no longer serves (an import), cannot change: not followed live.
  const session = await caller.session.get({ sessionId: id }).catch(() => null);
  const live = Boolean(session && !session.deletedAt && session.runner.status !== "stopped");
  const root = summary.sessions.find((s) => s.sessionId === summary.rootSessionId);
  const here = summary.sessions.find((s) => s.sessionId === id);
  return (
    <div className="space-y-3" data-testid="traces-page">
      <header className="space-y-1">
        <AppLink href={`/sessions/${id}`} className="text-xs text-sky-700 hover:underline">
          ← Back to the session
        </AppLink>
        <h1 className="text-xl font-semibold" data-testid="traces-title">
          Traces · {markUnrepresentable(root?.title || "Untitled session")}
        </h1>
        {here && here.sessionId !== summary.rootSessionId && (
          <p className="text-xs text-slate-500">The whole tree of this sub-agent&apos;s session, from its root.</p>
        )}
      </header>
      <TeamTrace sessionId={id} initial={{ page, summary }} live={live} />
    </div>
  );
}
