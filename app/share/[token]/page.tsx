import { headers } from "next/headers";
import { TRPCError } from "@trpc/server";
import { shareApi } from "~/server/api/server-caller";
import { ShareNotAvailable } from "~/components/share/share-not-available";
import { SharedSession } from "~/components/share/shared-session";
import { positive } from "~/components/archive/archive-pager";
import { isSessionId } from "~/components/session/ids";

type Search = Promise<Record<string, string | string[] | undefined>>;

export const dynamic = "force-dynamic";

// A share link's page: the tree as the link shows it, rendered on the server (complete without
// JavaScript). Every way a link can fail to open shows the same page; for a document request
// proxy.ts answers it with status 404 before this page runs (notFound() would send a page that
// stays blank without JavaScript), so this page shows it only to a refresh of an open page.
// A long conversation is paged as the team's archived view is (`?page=`, `?turn=`), and a large
// sub-agent has pages of its own (`?session=`).
export default async function SharePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Search }) {
  const { token } = await params;
  const search = await searchParams;
  const opened = await shareApi(token, await headers(), { countView: true });
  if (!opened) return <ShareNotAvailable />;
  const sessionId = typeof search.session === "string" && isSessionId(search.session) ? search.session : opened.caller.sessionId;
  const shared = await opened.api.share.view({ sessionId, page: positive(search.page), turn: positive(search.turn) }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) return null;
    throw error;
  });
  return shared ? <SharedSession token={token} shared={shared} /> : <ShareNotAvailable />;
}
