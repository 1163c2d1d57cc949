import { importUpload } from "~/server/archive/import-upload";
import { importDonePath, importFailedPath } from "~/server/archive/import-notice";
import { ArchiveError, archiveErrorResponse } from "~/server/archive/errors";
import { recordAudit } from "~/server/auth/audit";
import { refuseRequest } from "~/server/auth/origin";
import { handleRoute, seeOther } from "~/server/api/route-handler";
import { authorize } from "~/server/api/trpc";
import { config } from "~/server/config";
import { requestLogger } from "~/server/log";
import { getServices } from "~/server/services";

export const dynamic = "force-dynamic";

/**
 * Admin upload of an opencode.db (see server/archive/import-upload.ts). Answers JSON when asked
 * for it, else goes back to /archive with the outcome as keys and counts (a plain form works
 * without JavaScript; server/archive/import-notice.ts says why not as text).
 * proxy.ts leaves this one route alone (Next would buffer the body for it, and cut it at 10 MB),
 * so the envelope is applied here, before anything is read.
 */
export async function POST(request: Request) {
  const refusal = refuseRequest(request, { publicUrl: config().FLIGHTDECK_PUBLIC_URL });
  if (refusal) return new Response(refusal.message, { status: refusal.status });
  return handleRoute(request, async (_api, context) => {
    const caller = authorize(context.caller, "admin");
    const wantsJson = (request.headers.get("accept") ?? "").includes("application/json");
    const log = requestLogger(request.headers).child({ domain: "archive" });
    try {
      const { db, changes } = await getServices();
      const report = await importUpload(request, { db, changes, log });
      await recordAudit(db, caller, "archive.import", {}, { auditTarget: report.runnerName });
      if (wantsJson) return Response.json(report, { status: report.failed.length > 0 && report.trees === 0 ? 422 : 200 });
      return seeOther(importDonePath(report));
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      log.warn({ kind: error.kind }, `[import] upload refused: ${error.message}`);
      return wantsJson ? archiveErrorResponse(error) : seeOther(importFailedPath(error));
    }
  });
}
