import { handleRoute, seeOther } from "~/server/api/route-handler";

/** A plain form post: a full archive sync of the session's tree now, then back to its page. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleRoute(request, async (api) => {
    await api.archive.sync({ sessionId: id });
    return seeOther(`/sessions/${id}`);
  });
}
