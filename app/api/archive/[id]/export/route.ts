import { handleRoute } from "~/server/api/route-handler";
import { exportFileName, exportJson } from "~/server/archive/export";
import { ArchiveError } from "~/server/archive/errors";
import { download } from "~/server/archive/download-response";
import { exportHtmlFile } from "~/components/archive/export-file";

export const dynamic = "force-dynamic";

/** GET ?format=json (default) or ?format=html: the whole archived tree as a download (HTML streamed, read piece by piece). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleRoute(request, async (api) => {
    const format = new URL(request.url).searchParams.get("format") ?? "json";
    if (format !== "json" && format !== "html") throw new ArchiveError("invalid", `Unknown export format "${format.slice(0, 20)}": use json or html.`);
    if (format === "json") {
      const { tree } = await api.archive.tree({ sessionId: id });
      return download(JSON.stringify(exportJson(tree), null, 2), format, exportFileName(tree, format));
    }
    // The tree without its parts' content; the pieces read their parts as they are written.
    const tree = await api.archive.exportOutline({ sessionId: id });
    return download(exportHtmlFile(tree, { parts: (partIds) => api.archive.exportParts({ sessionId: id, partIds }) }), format, exportFileName(tree, format));
  });
}
