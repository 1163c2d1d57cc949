import { TRPCError } from "@trpc/server";
import { handleRoute, seeOther } from "~/server/api/route-handler";

/**
 * A plain form post: a full archive sync of the session's tree now, then back to the view it
 * came from, whether the sync succeeded or not: a failed sync is recorded on the tree, and the
 * page says why in its archive state (a page that is gone or not the reader's says so itself).
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const archiveView = new URL(request.url).searchParams.get("view") === "archive";
  return handleRoute(request, async (api) => {
    await api.archive.sync({ sessionId: id }).catch((error: unknown) => {
      if (!(error instanceof TRPCError)) throw error;
    });
    return seeOther(`/sessions/${id}${archiveView ? "?view=archive" : ""}`);
  });
}
