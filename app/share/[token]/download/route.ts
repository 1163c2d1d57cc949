import { TRPCError } from "@trpc/server";
import { shareApi } from "~/server/api/server-caller";
import { exportFileName } from "~/server/archive/export";
import { exportHtmlFile } from "~/components/archive/export-file";
import { download } from "~/server/archive/download-response";

export const dynamic = "force-dynamic";

const notAvailable = () => new Response("This link is not available.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

/** GET ?format=json (default) or html: the shared tree as a file, redacted as the page is (HTML streamed). */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const format = new URL(request.url).searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "html") {
    return new Response(`Unknown format "${format.slice(0, 20)}": use json or html.`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const opened = await shareApi(token, request.headers);
  if (!opened) return notAvailable();
  try {
    const sessionId = opened.caller.sessionId;
    if (format === "json") {
      const file = await opened.api.share.download({ sessionId });
      return download(file.body, "json", file.name);
    }
    const { tree } = await opened.api.share.view({ sessionId });
    return download(exportHtmlFile(tree), "html", exportFileName(tree, "html"));
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) return notAvailable();
    throw error;
  }
}
