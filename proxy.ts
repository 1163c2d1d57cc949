import { NextResponse, type NextRequest } from "next/server";
import { isSessionId } from "~/components/session/ids";

// A page cannot set its own status in the App Router. For a document request, this proxy
// answers a malformed session address with 400 and the "not a session address" page, and a
// purged session's address with 410 and the "purged" page; an unknown but well-formed id gets
// the page's own 404. (Client-side navigations go straight to the page, which says the same.)
//
// The status pages are fetched from this server and returned with their status rather than
// rewritten to: Next names 127.0.0.1 "localhost" in rewrites, which a server listening on
// 127.0.0.1 takes for another origin and proxies to (a loop).
export async function proxy(request: NextRequest) {
  const id = decodeURIComponent(request.nextUrl.pathname.split("/")[2] ?? "");
  if (id === "invalid-id" || request.headers.has("rsc")) return NextResponse.next();
  if (!isSessionId(id)) return pageWithStatus(request, "/sessions/invalid-id", 400);
  const status = await fetch(onThisServer(request, `/api/archive/${id}/status`), { headers: forwarded(request) }).then(
    (r) => r.status,
    () => 0,
  );
  if (status === 410) return pageWithStatus(request, `/sessions/${id}/purged`, 410);
  return NextResponse.next();
}

async function pageWithStatus(request: NextRequest, pathname: string, status: number): Promise<Response> {
  const page = await fetch(onThisServer(request, pathname), { headers: { ...forwarded(request), accept: "text/html" } }).catch(() => undefined);
  if (!page?.body) return new NextResponse(String(status), { status });
  return new NextResponse(page.body, { status, headers: { "content-type": page.headers.get("content-type") ?? "text/html; charset=utf-8" } });
}

// The Host the client used is this server.
function onThisServer(request: NextRequest, pathname: string): URL {
  return new URL(pathname, `${request.nextUrl.protocol}//${request.headers.get("host") ?? request.nextUrl.host}`);
}

function forwarded(request: NextRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ["cookie", "authorization"]) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  return headers;
}

export const config = { matcher: "/sessions/:id" };
