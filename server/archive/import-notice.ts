import { httpStatusOf, type ArchiveError, type ArchiveErrorKind, type UploadRefusal } from "./errors";
import type { ImportReport } from "./import";
import { formatBytes } from "../bytes";

/**
 * What the Archive page says after a form upload, passed in its address. A link anyone can craft
 * reaches that page too, so the address carries only a key of a fixed sentence or counts the
 * page formats itself: `?import=done&trees=…` or `?import=<error kind>&refused=<what>`, never text. The exact
 * reason (which names the uploaded file) is in the JSON answer and the server log.
 */

export type ImportNotice = { tone: "result" | "error"; text: string };

/** The largest opencode.db the admin upload takes (here, not in import-upload.ts, so the page shows it without loading the importer). */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

const REFUSED: Record<UploadRefusal, string> = {
  "not-opencode": "The upload was refused: the file is not a readable opencode database (not SQLite, damaged, or without opencode's tables).",
  form: "The upload was refused: the form was incomplete; choose a non-empty opencode.db file.",
  "runner-name": "The upload was refused: a live runner has that name; import under another runner name.",
};
const ERRORS: Partial<Record<ArchiveErrorKind, string>> = {
  invalid: "The upload was refused: it is not a readable opencode database, the form was incomplete, or the runner name is taken by a live runner.",
  too_large: `The upload was refused: the file is larger than the upload limit (${formatBytes(MAX_IMPORT_BYTES)}).`,
};
const GENERIC_ERROR = "The import failed; the server log says why.";
const COUNTS = ["trees", "sessions", "changes", "failed", "unreadable"] as const;

/** The Archive page's address after an upload that finished (with or without failed trees). */
export function importDonePath(report: ImportReport): `/${string}` {
  const counts = { trees: report.trees, sessions: report.sessions, changes: report.changes, failed: report.failed.length, unreadable: report.unreadable };
  return `/archive?${new URLSearchParams({ import: "done", ...Object.fromEntries(COUNTS.map((k) => [k, String(counts[k])])) })}`;
}

/** The Archive page's address after an upload that was refused. */
export function importFailedPath(error: ArchiveError): `/${string}` {
  return `/archive?${new URLSearchParams({ import: error.kind, ...(error.refused ? { refused: error.refused } : {}) })}`;
}

/** The notice for the page's search parameters; nothing for an address no upload produced. */
export function importNotice(params: Record<string, string | string[] | undefined>): ImportNotice | undefined {
  const key = params.import;
  if (key === "done") {
    const [trees, sessions, changes, failed, unreadable = 0] = COUNTS.map((k) => count(params[k]));
    if ([trees, sessions, changes, failed].some((n) => n === undefined)) return undefined;
    const failedText = failed ? ` ${failed} tree(s) failed; the server log says why.` : "";
    const unreadableText = unreadable ? ` ${unreadable} message or part row(s) of the file hold no readable data and were left out.` : "";
    return { tone: "result", text: `Imported ${trees} session tree(s) (${sessions} sessions, ${changes} changes).${failedText}${unreadableText}` };
  }
  if (typeof key !== "string" || !Object.hasOwn(httpStatusOf, key)) return undefined;
  const refused = typeof params.refused === "string" && Object.hasOwn(REFUSED, params.refused) ? REFUSED[params.refused as UploadRefusal] : undefined;
  return { tone: "error", text: refused ?? ERRORS[key as ArchiveErrorKind] ?? GENERIC_ERROR };
}

function count(value: string | string[] | undefined): number | undefined {
  return typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
