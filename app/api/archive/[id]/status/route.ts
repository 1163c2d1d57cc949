import { handleRoute } from "~/server/api/route-handler";

export const dynamic = "force-dynamic";

/** The archive state of the session's tree; 400 / 404 / 410 say what is wrong with the id. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleRoute(request, async (api) => Response.json(await api.archive.status({ sessionId: id })));
}
