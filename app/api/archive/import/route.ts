import { hasRole, resolveCaller } from "~/server/auth/caller";
import { importUpload } from "~/server/archive/import-upload";
import { ArchiveError, archiveErrorResponse } from "~/server/archive/errors";
import { getServices } from "~/server/services";
import { seeOther } from "~/server/api/route-handler";

export const dynamic = "force-dynamic";

/**
 * Admin upload of an opencode.db (see server/archive/import-upload.ts). Answers JSON when asked
 * for it, else goes back to /archive with the outcome (a plain form works without JavaScript).
 */
export async function POST(request: Request) {
  const caller = resolveCaller(request.headers);
  if (!hasRole(caller, "admin")) {
    return Response.json({ error: "FORBIDDEN", message: "Importing archives needs the admin role." }, { status: caller.kind === "user" ? 403 : 401 });
  }
  const wantsJson = (request.headers.get("accept") ?? "").includes("application/json");
  try {
    const { db, changes } = await getServices();
    const report = await importUpload(request, { db, changes });
    if (wantsJson) return Response.json(report, { status: report.failed.length > 0 && report.trees === 0 ? 422 : 200 });
    const summary = `Imported ${report.trees} session tree(s) (${report.sessions} sessions, ${report.changes} changes) as runner "${report.runnerName}".${report.failed.length ? ` ${report.failed.length} tree(s) failed: ${report.failed[0]!.error}` : ""}`;
    return seeOther(request, `/archive?result=${encodeURIComponent(summary)}`);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    return wantsJson ? archiveErrorResponse(error) : seeOther(request, `/archive?error=${encodeURIComponent(error.message)}`);
  }
}
