import { exportFileName, exportJson } from "~/server/archive/export";
import { exportHtml } from "~/server/archive/export-html";
import type { ArchivedTree } from "~/server/archive/read";
import type { Redactor } from "./redact";
import { refuseUnsafe } from "./shared-tree";

export type DownloadFormat = "json" | "html";

/** A shared tree (already projected and redacted) as a file; its bytes are scanned before they go. */
export async function sharedDownload(tree: ArchivedTree, format: DownloadFormat, redactor: Redactor) {
  const body = format === "json" ? JSON.stringify(exportJson(tree), null, 2) : exportHtml(tree);
  return {
    name: exportFileName(tree, format),
    contentType: format === "json" ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
    body: await refuseUnsafe(redactor, body),
  };
}
