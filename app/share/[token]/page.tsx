import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { shareApi } from "~/server/api/server-caller";
import { SharedSession } from "~/components/share/shared-session";

export const dynamic = "force-dynamic";

// A share link's page: the tree as the link shows it, rendered on the server (complete without
// JavaScript). Every way a link can fail to open gives the same 404 page (not-found.tsx).
export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const opened = await shareApi(token, await headers(), { countView: true });
  if (!opened) notFound();
  const shared = await opened.api.share.view({ sessionId: opened.caller.sessionId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  });
  return <SharedSession token={token} shared={shared} />;
}
