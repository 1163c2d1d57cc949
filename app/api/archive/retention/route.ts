import { handleRoute, seeOther } from "~/server/api/route-handler";
import { ArchiveError } from "~/server/archive/errors";

/** A plain form post (admin): a runner's own retention in days; empty follows the global policy. */
export async function POST(request: Request) {
  return handleRoute(request, async (api) => {
    const form = await request.formData().catch(() => new FormData());
    const runnerId = String(form.get("runnerId") ?? "");
    const raw = String(form.get("days") ?? "").trim();
    const days = raw === "" ? null : Number(raw);
    if (days !== null && !(Number.isInteger(days) && days >= 0)) throw new ArchiveError("invalid", "Retention is a whole number of days (0 keeps forever), or empty for the global policy.");
    await api.archive.setRunnerRetention({ runnerId, days });
    return seeOther("/archive");
  });
}
