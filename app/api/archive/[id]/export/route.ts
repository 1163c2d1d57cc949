import { handleRoute } from "~/server/api/route-handler";
import { exportFileName, exportJsonText } from "~/server/archive/export";
import { ArchiveError } from "~/server/archive/errors";
import { download, textStream } from "~/server/archive/download-response";
import { exportHtmlFile } from "~/components/archive/export-file";

export const dynamic = "force-dynamic";

/** GET ?format=json (default) or ?format=html: the whole archived tree as a download, read and written a piece at a time. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleRoute(request, async (api) => {
    const format = new URL(request.url).searchParams.get("format") ?? "json";
    if (format !== "json" && format !== "html") throw new ArchiveError("invalid", `Unknown export format "${format.slice(0, 20)}": use json or html.`);
    // The tree's outline; the file reads its turns a window at a time as it is written.
    const outline = await api.archive.exportOutline({ sessionId: id });
    const source = { ...outline, turns: (turnIds: string[], bare?: string[]) => api.archive.exportTurns({ sessionId: id, turnIds, bare }) };
    const body = format === "json" ? textStream(exportJsonText(source)) : exportHtmlFile(source);
    return download(body, format, exportFileName(outline.tree, format));
  });
}
