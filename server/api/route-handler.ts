import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { createCaller } from "~/server/api/root";
import { createContext, type InnerContext } from "~/server/api/trpc";
import { ArchiveError, archiveErrorResponse } from "~/server/archive/errors";
import { inputIssues } from "~/server/api/errors";

// Route handlers (downloads, plain HTML forms that work without JavaScript) call the same tRPC
// procedures as the app, with the same role checks, and answer their errors as HTTP: 400 for a
// malformed id, 404 unknown, 410 purged, 503 + Retry-After while a sync writes the archive.

export type RouteCaller = ReturnType<typeof createCaller>;

/** `fieldNames`: the route's own names of the input's fields, for a 400's message (see inputIssues). */
export async function handleRoute(
  request: Request,
  run: (api: RouteCaller, context: InnerContext) => Promise<Response>,
  fieldNames?: Record<string, string>,
): Promise<Response> {
  try {
    const context = await createContext({ headers: request.headers });
    return await run(createCaller(context), context);
  } catch (error) {
    if (error instanceof ArchiveError) return archiveErrorResponse(error);
    if (error instanceof TRPCError) {
      if (error.cause instanceof ArchiveError) return archiveErrorResponse(error.cause);
      return Response.json({ error: error.code, message: inputIssues(error, fieldNames) ?? error.message }, { status: getHTTPStatusCodeFromError(error) });
    }
    throw error;
  }
}

/**
 * After a form post: back to a page (303, so the browser GETs it). The Location is relative, so
 * the browser stays on the origin it posted from: under `next start`, request.url names the
 * address Next listens on (localhost), not the one the user opened (127.0.0.1, a public name),
 * where the user's cookie is.
 */
export function seeOther(path: `/${string}`): Response {
  // "//host/..." would be another origin; the paths given here are the app's own.
  if (/^\/[/\\]/.test(path)) throw new Error(`Not a path on this server: ${path}`);
  return new Response(null, { status: 303, headers: { location: path } });
}
