import { TRPCError } from "@trpc/server";
import { ArchiveError, trpcCodeOf } from "~/server/archive/errors";
import { Prisma } from "~/server/generated/prisma/client";
import { SearchQueryError } from "~/server/search/query-text";
import { CommandError } from "~/server/sessions/command-error";
import { ShareError } from "~/server/share/links";
import { UnsafeShareError } from "~/server/share/shared-tree";
import { TraceError } from "~/server/traces/trace";

/** Runs a domain command and turns its refusals into tRPC errors with the same message. */
export async function command<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CommandError) throw new TRPCError({ code: error.code, message: error.message });
    if (error instanceof ArchiveError) throw archiveTrpcError(error);
    if (error instanceof ShareError) throw new TRPCError({ code: error.kind === "outside-tree" ? "FORBIDDEN" : "NOT_FOUND", message: error.message });
    if (error instanceof SearchQueryError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
    if (error instanceof TraceError) throw new TRPCError({ code: error.kind === "bad-cursor" ? "BAD_REQUEST" : "NOT_FOUND", message: error.message });
    // Which kinds were found, never the values.
    if (error instanceof UnsafeShareError) throw new TRPCError({ code: "PRECONDITION_FAILED", message: error.message });
    throw databaseRefusal(error) ?? error;
  }
}

/**
 * What the database refuses because of the request (a row that is not there, a name already
 * taken) as a 404 or 409 that names it, instead of Prisma's invocation text as a 500.
 */
export function databaseRefusal(error: unknown): TRPCError | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const model = typeof error.meta?.modelName === "string" ? error.meta.modelName.toLowerCase() : "record";
  if (error.code === "P2025") return new TRPCError({ code: "NOT_FOUND", message: `No such ${model}.` });
  if (error.code === "P2002") {
    const fields = uniqueFields(error.meta);
    return new TRPCError({ code: "CONFLICT", message: `A ${model} with this ${fields.join(" and ") || "value"} already exists.` });
  }
  return undefined;
}

// Prisma names the fields in `target`; through a driver adapter, PGlite's names them and
// PostgreSQL's names the index (`<Model>_<fields>_key`, Prisma's naming).
function uniqueFields(meta: Record<string, unknown> | undefined): string[] {
  const adapter = meta?.driverAdapterError as { cause?: { constraint?: { fields?: unknown; index?: unknown } } } | undefined;
  const fields = meta?.target ?? adapter?.cause?.constraint?.fields;
  if (Array.isArray(fields)) return fields.map(String);
  const index = adapter?.cause?.constraint?.index;
  const named = typeof index === "string" ? /^[^_]+_(.+)_key$/.exec(index) : null;
  return named ? [named[1]!] : [];
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

/**
 * A refused input in words: each zod issue as `field: message`, the field named as the reader
 * wrote it (`names`: an address's `runner` for the input's `runnerId`; "" leaves a field unnamed,
 * for messages that name it themselves). Undefined when the error is not about the input's fields.
 */
export function inputIssues(error: TRPCError, names: Record<string, string> = {}): string | undefined {
  const issues = error.cause && "issues" in error.cause ? (error.cause.issues as { path: PropertyKey[]; message: string }[]) : [];
  if (error.code !== "BAD_REQUEST" || issues.length === 0) return undefined;
  return issues
    .map((i) => {
      const where = i.path.map((p) => names[String(p)] ?? String(p)).filter(Boolean).join(".");
      return where ? `${where}: ${i.message}` : i.message;
    })
    .join("; ");
}
