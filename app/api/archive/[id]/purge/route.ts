import { handleRoute, seeOther } from "~/server/api/route-handler";

/** A plain form post (admin): purges the tree once `confirm` repeats the session id. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleRoute(request, async (api) => {
    const form = await request.formData().catch(() => new FormData());
    const confirm = form.get("confirm");
    await api.archive.purge({ sessionId: id, confirm: typeof confirm === "string" ? confirm : "" });
    return seeOther(`/sessions/${id}`);
  });
}
