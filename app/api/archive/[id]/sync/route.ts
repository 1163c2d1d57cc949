import { handleRoute, seeOther } from "~/server/api/route-handler";

/** A plain form post: a full archive sync of the session's tree now, then back to the view it came from. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const archiveView = new URL(request.url).searchParams.get("view") === "archive";
  return handleRoute(request, async (api) => {
    await api.archive.sync({ sessionId: id });
    return seeOther(`/sessions/${id}${archiveView ? "?view=archive" : ""}`);
  });
}
