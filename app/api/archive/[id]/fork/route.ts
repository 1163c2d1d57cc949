import { handleRoute, seeOther } from "~/server/api/route-handler";
import { ArchiveError } from "~/server/archive/errors";

/** A plain form post (works without JavaScript): forks, then opens the new session. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleRoute(request, async (api) => {
    const form = await request.formData().catch(() => new FormData());
    const raw = form.get("throughTurn");
    const throughTurn = typeof raw === "string" && raw.trim() ? Number(raw) : undefined;
    if (throughTurn !== undefined && !(Number.isInteger(throughTurn) && throughTurn >= 1)) {
      throw new ArchiveError("invalid", "throughTurn must be a turn number (1, 2, ...).");
    }
    const fork = await api.archive.fork({ sessionId: id, throughTurn });
    return seeOther(`/sessions/${fork.id}`);
  });
}
