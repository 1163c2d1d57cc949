// Domain errors of the archive and what they mean over HTTP and tRPC. Plain TypeScript: the
// router and route handlers translate with these tables, so a page, an export route and a
// tRPC call say the same thing for the same situation.

import { rowId } from "~/server/row-id";
import { namedError } from "~/server/named-error";

export type ArchiveErrorKind =
  /** The id is not a session id at all. */
  | "malformed_id"
  /** No such session (never seen, or not in this archive). */
  | "unknown"
  /** The session existed but its archive was purged (retention or an admin). */
  | "purged"
  /** A sync of this tree is writing right now; read again shortly. */
  | "syncing"
  /** Another sync of the same tree committed first (optimistic lock lost). */
  | "conflict"
  /** The source (runner or file) does not have the session (any more). */
  | "source_gone"
  /** The runner of the session is not serving. */
  | "runner_unavailable"
  /** The request itself is wrong (bad upload, bad option). */
  | "invalid"
  /** An upload over the size limit. */
  | "too_large";

/** What was wrong with a refused upload: the file, the form, or the runner name it asked for. */
export type UploadRefusal = "not-opencode" | "form" | "runner-name";

export class ArchiveError extends namedError("ArchiveError") {
  constructor(
    readonly kind: ArchiveErrorKind,
    message: string,
    /** For "syncing": seconds after which a retry should succeed. */
    readonly retryAfterSeconds?: number,
    /** For a refused upload: which part of it, so a page without the message can still say. */
    readonly refused?: UploadRefusal,
  ) {
    super(message);
  }
}

export class ArchiveConflictError extends ArchiveError {
  constructor(message = "Another sync of this session committed first.") {
    super("conflict", message);
  }

  // Its own check: it would inherit ArchiveError's, which every archive error passes.
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof ArchiveError && value.kind === "conflict";
  }
}

/** HTTP status per kind: 400 malformed, 404 unknown, 410 purged, 503 while syncing. */
export const httpStatusOf: Record<ArchiveErrorKind, number> = {
  malformed_id: 400,
  invalid: 400,
  too_large: 413,
  unknown: 404,
  purged: 410,
  syncing: 503,
  conflict: 409,
  source_gone: 404,
  runner_unavailable: 503,
};

/**
 * tRPC code per kind. tRPC has no 410: a purged session is NOT_FOUND with a message that says
 * it was purged (and `archiveErrorKind` in the error's cause).
 */
export const trpcCodeOf = {
  malformed_id: "BAD_REQUEST",
  invalid: "BAD_REQUEST",
  too_large: "PAYLOAD_TOO_LARGE",
  unknown: "NOT_FOUND",
  purged: "NOT_FOUND",
  syncing: "SERVICE_UNAVAILABLE",
  conflict: "CONFLICT",
  source_gone: "NOT_FOUND",
  runner_unavailable: "PRECONDITION_FAILED",
} as const satisfies Record<ArchiveErrorKind, string>;

const sessionId = rowId("Session");

/** Session ids are UUIDs; anything else is a malformed id (400), not an unknown one (404). */
export function assertSessionId(id: string): string {
  if (!sessionId.safeParse(id).success) throw new ArchiveError("malformed_id", `"${id.slice(0, 80)}" is not a session id (session ids are UUIDs).`);
  return id.toLowerCase();
}

/** An HTTP response for a route handler: JSON body `{ error, message }`, Retry-After when due. */
export function archiveErrorResponse(error: ArchiveError): Response {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
  return new Response(JSON.stringify({ error: error.kind, message: error.message }), {
    status: httpStatusOf[error.kind],
    headers,
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
