import { TRPCError } from "@trpc/server";
import { shareApi } from "~/server/api/server-caller";
import { exportFileName, exportJsonText } from "~/server/archive/export";
import { exportHtmlFile } from "~/components/archive/export-file";
import { treeSource } from "~/server/archive/export-source";
import { download, textStream } from "~/server/archive/download-response";

export const dynamic = "force-dynamic";

const notAvailable = () => new Response("This link is not available.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

/** GET ?format=json (default) or html: the shared tree as a file, redacted as the page is, read and written a piece at a time. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const format = new URL(request.url).searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "html") {
    return new Response(`Unknown format "${format.slice(0, 20)}": use json or html.`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const opened = await shareApi(token, request.headers);
  if (!opened) return notAvailable();
  try {
    // The outline first; the file reads the parts a batch at a time as it is written.
    const { downloadId, tree } = await opened.api.share.openDownload({ sessionId: opened.caller.sessionId });
    const parts = (partIds: string[]) => opened.api.share.downloadParts({ downloadId, partIds });
    const source = treeSource(tree, parts);
    const body = format === "json" ? textStream(exportJsonText(source)) : exportHtmlFile(source);
    return download(body, format, exportFileName(tree, format));
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) return notAvailable();
    throw error;
  }
}
