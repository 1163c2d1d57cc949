import { TRPCError } from "@trpc/server";
import { api } from "~/server/api/server-caller";
import { PurgedSession } from "~/components/archive/archived-session";

export const dynamic = "force-dynamic";

/** Shown with status 410 (proxy.ts rewrites a purged session's address here). */
export default async function PurgedSessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const message = await (await api()).archive.status({ sessionId: id }).then(
    () => "",
    (error: unknown) => (error instanceof TRPCError ? error.message : ""),
  );
  return <PurgedSession message={message} />;
}
