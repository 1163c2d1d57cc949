import { NextResponse, type NextRequest } from "next/server";
import { isSessionId } from "~/components/session/ids";
import { refuseRequest } from "~/server/auth/origin";
import { VIEWER_COOKIE } from "~/server/share/viewer";
import { withSecurityHeaders } from "~/server/auth/security-headers";
import { hasSessionCookie } from "~/server/auth/session-cookie";
import { isPublicPage } from "~/server/auth/next-path";
import { config as appConfig, selfOrigin } from "~/server/config";

/**
 * Every request passes here first:
 * 1. the envelope (server/auth/origin.ts): a foreign Host is refused (DNS rebinding), and so is
 *    a cross-site state change (forms, tRPC mutations, uploads, /api/auth);
 * 2. pages learn their own path (`x-flightdeck-path`), so the layout can send a signed-out
 *    visitor to sign in and come back;
 * 3. a session page's address gets its HTTP status: a malformed id 400, a purged session 410;
 *    a share page's, 404 when its token does not open (and a viewer cookie, for view counts);
 * 4. a page asked for without any sign-in cookie goes to sign in at once (the layout would send
 *    it there too, but only after the page had started rendering and failed each of its reads).
 * The answers made here carry the security headers themselves (next.config.ts sets them on what
 * Next renders).
 */
export async function proxy(request: NextRequest) {
  const refusal = refuseRequest(request, { publicUrl: appConfig().FLIGHTDECK_PUBLIC_URL });
  if (refusal) {
    return new NextResponse(refusal.message, { status: refusal.status, headers: withSecurityHeaders({ "content-type": "text/plain; charset=utf-8" }) });
  }
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/") || pathname.startsWith("/_next/")) return NextResponse.next();

  const headers = new Headers(request.headers);
  headers.set("x-flightdeck-path", pathname + search);
  const next = () => NextResponse.next({ request: { headers } });
  if (pathname.startsWith("/share/")) return shareStatus(request, withViewerCookie(request, headers, next));
  if (request.headers.has("rsc")) return next();
  // Files (the icon) are public; pages are not.
  if (!isPublicPage(pathname) && !/\.[a-z0-9]+$/i.test(pathname) && !hasSessionCookie(request.cookies)) return signIn(request);
  if (!pathname.startsWith("/sessions/")) return next();
  return sessionStatus(request, pathname.split("/")[2] ?? "", next);
}

// Sign-in brings the visitor back here (and sends an empty team's first visitor to setup), on the
// host the visitor asked for (the envelope has checked it).
function signIn(request: NextRequest): Response {
  const url = request.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = `?next=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
  return NextResponse.redirect(url, { status: 307, headers: withSecurityHeaders() });
}

// A share page's address gets its status: 404 for a token that does not open (one page for every
// reason). Only document requests of the page itself are checked; its refreshes show the same
// page with their own answer.
async function shareStatus(request: NextRequest, next: () => NextResponse): Promise<Response> {
  const segments = request.nextUrl.pathname.split("/");
  if (segments.length !== 3 || segments[2] === "not-available" || request.headers.has("rsc")) return next();
  const status = await fetch(`${selfOrigin()}${request.nextUrl.pathname}/status`, { headers: client(request) }).then(
    (r) => r.status,
    () => 0,
  );
  return status === 404 ? pageWithStatus(request, "/share/not-available", 404) : next();
}

// Who is asking, for the share token check's per-address limit.
function client(request: NextRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ["x-forwarded-for", "x-real-ip", "user-agent"]) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  return headers;
}

// A share link counts each viewer once a day: a first visit gets a random viewer id (a page
// cannot set cookies, so it is made here and handed to the page with the request).
function withViewerCookie(request: NextRequest, headers: Headers, next: () => NextResponse): () => NextResponse {
  if (request.cookies.has(VIEWER_COOKIE)) return next;
  const viewer = crypto.randomUUID();
  headers.set("cookie", [request.headers.get("cookie"), `${VIEWER_COOKIE}=${viewer}`].filter(Boolean).join("; "));
  return () => {
    const response = next();
    response.cookies.set(VIEWER_COOKIE, viewer, { path: "/share", httpOnly: true, sameSite: "lax", maxAge: 365 * 24 * 3600 });
    return response;
  };
}

// A page cannot set its own status in the App Router. For a document request, the status
// pages are fetched from this server itself (never from the Host the client named) and
// returned with their status.
async function sessionStatus(request: NextRequest, segment: string, next: () => NextResponse): Promise<Response> {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return pageWithStatus(request, "/sessions/invalid-id", 400);
  }
  if (id === "invalid-id" || request.nextUrl.pathname.split("/").length > 3) return next();
  if (!isSessionId(id)) return pageWithStatus(request, "/sessions/invalid-id", 400);
  const status = await fetch(`${selfOrigin()}/api/archive/${id}/status`, { headers: forwarded(request) }).then(
    (r) => r.status,
    () => 0,
  );
  if (status === 410) return pageWithStatus(request, `/sessions/${id}/purged`, 410);
  return next();
}

async function pageWithStatus(request: NextRequest, pathname: string, status: number): Promise<Response> {
  const page = await fetch(`${selfOrigin()}${pathname}`, { headers: { ...forwarded(request), accept: "text/html" } }).catch(() => undefined);
  if (!page?.body) return new NextResponse(String(status), { status, headers: withSecurityHeaders() });
  const headers = withSecurityHeaders({ "content-type": page.headers.get("content-type") ?? "text/html; charset=utf-8" });
  return new NextResponse(page.body, { status, headers });
}

// The visitor's own credentials, sent only to this server itself. Host is this server's own
// loopback address, which the allowlist accepts.
function forwarded(request: NextRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  const cookie = request.headers.get("cookie");
  if (cookie) headers.cookie = cookie;
  return headers;
}

// Every path but the import upload: for a route the proxy runs on, Next buffers the request body
// (and cuts it at 10 MB); that route applies the same envelope itself.
export const config = { matcher: "/((?!api/archive/import).*)" };
