import { headers } from "next/headers";
import { TRPCError } from "@trpc/server";
import { shareApi } from "~/server/api/server-caller";
import { ShareNotAvailable } from "~/components/share/share-not-available";
import { SharedSession } from "~/components/share/shared-session";

export const dynamic = "force-dynamic";

// A share link's page: the tree as the link shows it, rendered on the server (complete without
// JavaScript). Every way a link can fail to open shows the same page; for a document request
// proxy.ts answers it with status 404 before this page runs (notFound() would send a page that
// stays blank without JavaScript), so this page shows it only to a refresh of an open page.
export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const opened = await shareApi(token, await headers(), { countView: true });
  if (!opened) return <ShareNotAvailable />;
  const shared = await opened.api.share.view({ sessionId: opened.caller.sessionId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) return null;
    throw error;
  });
  return shared ? <SharedSession token={token} shared={shared} /> : <ShareNotAvailable />;
}
