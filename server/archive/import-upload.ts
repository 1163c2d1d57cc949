import path from "node:path";
import type { PrismaClient } from "~/server/generated/prisma/client";
import type { ChangeSink } from "~/server/hub/change-feed";
import { importOpencodeDb, type ImportOptions, type ImportReport } from "./import";
import { MAX_IMPORT_BYTES } from "./import-notice";
import { receiveUpload } from "./upload";


export type ImportUploadDeps = {
  db: PrismaClient;
  changes?: ChangeSink;
  /** Where each tree's outcome (and why one failed) is written. */
  log?: ImportOptions["log"];
  maxBytes?: number;
  /** Where the upload is kept while it is imported (default: the OS temp dir). */
  tmpDir?: string;
};

/**
 * The admin upload of an opencode.db (multipart field `file`, optional `runnerName`): streamed
 * to a private temp file, checked, imported, removed. Throws ArchiveError (too_large, invalid)
 * whose messages name the upload by its own file name.
 */
export async function importUpload(request: Request, deps: ImportUploadDeps): Promise<ImportReport> {
  const upload = await receiveUpload(request, { maxBytes: deps.maxBytes ?? MAX_IMPORT_BYTES, fileField: "file", tmpDir: deps.tmpDir });
  try {
    const displayName = path.basename(upload.filename) || "the upload";
    const runnerName = upload.fields.runnerName?.trim() || `imported ${displayName}`;
    return await importOpencodeDb(deps.db, upload.path, { runnerName, changes: deps.changes, log: deps.log, displayName });
  } finally {
    upload.dispose();
  }
}
