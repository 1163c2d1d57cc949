import { TRPCError } from "@trpc/server";
import { ArchiveError, trpcCodeOf } from "~/server/archive/errors";
import { CommandError } from "~/server/sessions/command-error";

/** Runs a domain command and turns its refusals into tRPC errors with the same message. */
export async function command<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CommandError) throw new TRPCError({ code: error.code, message: error.message });
    if (error instanceof ArchiveError) throw archiveTrpcError(error);
    throw error;
  }
}

/**
 * An archive refusal as a tRPC error: the code per kind (errors.ts), the same message, and the
 * ArchiveError as cause so that the error formatter can add `archive: { kind, retryAfterSeconds }`
 * and the HTTP handler a Retry-After header.
 */
export function archiveTrpcError(error: ArchiveError): TRPCError {
  const retry = error.retryAfterSeconds !== undefined ? ` Retry in ${error.retryAfterSeconds} s.` : "";
  return new TRPCError({ code: trpcCodeOf[error.kind], message: `${error.message}${retry}`, cause: error });
}

/** What the error formatter adds to an archive error's data (null for any other error). */
export function archiveErrorData(error: TRPCError): { kind: ArchiveError["kind"]; retryAfterSeconds: number | null } | null {
  const cause = error.cause;
  return cause instanceof ArchiveError ? { kind: cause.kind, retryAfterSeconds: cause.retryAfterSeconds ?? null } : null;
}

/** For the tRPC HTTP handler: an archive being synced answers 503 with when to retry. */
export function archiveResponseMeta({ errors }: { errors: TRPCError[] }): { headers?: Headers } {
  const retry = errors.map((e) => archiveErrorData(e)?.retryAfterSeconds).find((s) => typeof s === "number");
  return retry === undefined || retry === null ? {} : { headers: new Headers({ "retry-after": String(retry) }) };
}
