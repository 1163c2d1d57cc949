import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { recordAudit } from "~/server/auth/audit";
import { authorize } from "~/server/api/trpc";
import { importOpencodeDb } from "~/server/archive/import";
import { ArchiveError, archiveErrorResponse } from "~/server/archive/errors";
import { getServices } from "~/server/services";
import { handleRoute, seeOther } from "~/server/api/route-handler";

export const dynamic = "force-dynamic";

const MAX_BYTES = 1024 * 1024 * 1024;

/**
 * Admin upload of an opencode.db (multipart field `file`, optional `runnerName`): rebuilds the
 * archives of every tree in it. Answers JSON when asked for it, else goes back to /archive with
 * the outcome (a plain form works without JavaScript).
 */
export async function POST(request: Request) {
  return handleRoute(request, async (_api, context) => importUpload(request, authorize(context.caller, "admin")));
}

async function importUpload(request: Request, caller: ReturnType<typeof authorize>): Promise<Response> {
  const wantsJson = (request.headers.get("accept") ?? "").includes("application/json");
  const fail = (error: ArchiveError) => (wantsJson ? archiveErrorResponse(error) : seeOther(request, `/archive?error=${encodeURIComponent(error.message)}`));
  const form = await request.formData().catch(() => undefined);
  const file = form?.get("file");
  if (!form || !(file instanceof File) || file.size === 0) return fail(new ArchiveError("invalid", "Upload an opencode.db file (form field \"file\")."));
  if (file.size > MAX_BYTES) return fail(new ArchiveError("invalid", `The file is larger than ${MAX_BYTES / 1024 / 1024} MB.`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-import-"));
  const uploaded = path.join(dir, "opencode.db");
  try {
    fs.writeFileSync(uploaded, Buffer.from(await file.arrayBuffer()));
    const runnerName = String(form.get("runnerName") ?? "").trim() || `imported ${path.basename(file.name || "opencode.db")}`;
    const { db, changes } = await getServices();
    const report = await importOpencodeDb(db, uploaded, { runnerName, changes });
    await recordAudit(db, caller, "archive.import", {}, { auditTarget: report.runnerName });
    if (wantsJson) return Response.json(report, { status: report.failed.length > 0 && report.trees === 0 ? 422 : 200 });
    const summary = `Imported ${report.trees} session tree(s) (${report.sessions} sessions, ${report.changes} changes) as runner "${report.runnerName}".${report.failed.length ? ` ${report.failed.length} tree(s) failed: ${report.failed[0]!.error}` : ""}`;
    return seeOther(request, `/archive?result=${encodeURIComponent(summary)}`);
  } catch (error) {
    if (error instanceof ArchiveError) {
      // The temporary file name means nothing to the user: name their upload instead.
      return fail(new ArchiveError(error.kind, error.message.replace(uploaded, `"${file.name || "the upload"}"`)));
    }
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
