import { exportFileName, exportJson } from "~/server/archive/export";
import type { ArchivedTree } from "~/server/archive/read";
import type { Redactor } from "./redact";
import { refuseUnsafe } from "./shared-tree";

/**
 * A shared tree (already projected, redacted and scanned) as a JSON file, whose bytes are
 * scanned once more before they go. The HTML file is the archived view's own components
 * rendered by the download route (components/archive/export-html.tsx) from the same tree.
 */
export async function sharedJsonDownload(tree: ArchivedTree, redactor: Redactor) {
  return { name: exportFileName(tree, "json"), body: await refuseUnsafe(redactor, JSON.stringify(exportJson(tree), null, 2)) };
}
