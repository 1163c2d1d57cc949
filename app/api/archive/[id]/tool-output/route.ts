import { handleRoute } from "~/server/api/route-handler";
import { ArchiveError } from "~/server/archive/errors";

export const dynamic = "force-dynamic";

/** GET ?part=<part id>: one archived tool call's whole output, as plain text (a link from a page of a long session). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleRoute(request, async (api) => {
    const partId = new URL(request.url).searchParams.get("part");
    if (!partId) throw new ArchiveError("invalid", "Say which tool call: ?part=<part id>.");
    const output = await api.archive.toolOutput({ sessionId: id, partId });
    return new Response(output, { headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } });
  });
}
