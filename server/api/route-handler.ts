import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { createCaller } from "~/server/api/root";
import { createContext, type InnerContext } from "~/server/api/trpc";
import { ArchiveError, archiveErrorResponse } from "~/server/archive/errors";

// Route handlers (downloads, plain HTML forms that work without JavaScript) call the same tRPC
// procedures as the app, with the same role checks, and answer their errors as HTTP: 400 for a
// malformed id, 404 unknown, 410 purged, 503 + Retry-After while a sync writes the archive.

export type RouteCaller = ReturnType<typeof createCaller>;

export async function handleRoute(
  request: Request,
  run: (api: RouteCaller, context: InnerContext) => Promise<Response>,
): Promise<Response> {
  try {
    const context = await createContext({ headers: request.headers });
    return await run(createCaller(context), context);
  } catch (error) {
    if (error instanceof ArchiveError) return archiveErrorResponse(error);
    if (error instanceof TRPCError) {
      if (error.cause instanceof ArchiveError) return archiveErrorResponse(error.cause);
      return Response.json({ error: error.code, message: error.message }, { status: getHTTPStatusCodeFromError(error) });
    }
    throw error;
  }
}

/** After a form post: back to a page (303, so the browser GETs it). */
export function seeOther(request: Request, path: string): Response {
  return new Response(null, { status: 303, headers: { location: new URL(path, request.url).toString() } });
}
