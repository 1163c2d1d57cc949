/**
 * The request envelope every route passes before anything else runs (proxy.ts applies it):
 * - the Host must be a loopback name or the public URL's host, which stops DNS rebinding (a
 *   hostile page whose domain resolves to this machine sends its own domain as Host);
 * - a state-changing request sent by a browser must come from this same origin, which stops
 *   cross-site form posts and cross-origin fetches riding on the user's cookie.
 * Pure functions: proxy.ts hands them the headers and answers what they return.
 */

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type Envelope = { publicUrl?: string };
export type Refusal = { status: 403 | 421 | 400; message: string };

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/** Whether a Host header (name and port) names this server. */
export function isAllowedHost(host: string | null, envelope: Envelope): boolean {
  if (!host) return false;
  const name = hostnameOf(host);
  if (name === undefined) return false;
  if (LOOPBACK.has(name) || /^127(\.\d{1,3}){3}$/.test(name)) return true;
  return envelope.publicUrl !== undefined && new URL(envelope.publicUrl).host === host.toLowerCase();
}

/**
 * Refuses what must not reach the app; undefined lets the request through. A browser always
 * sends Origin on cross-origin posts (and Sec-Fetch-Site on every request), so a request with
 * neither comes from a script or CLI, which carries no ambient cookie to abuse.
 */
export function refuseRequest(
  request: { method: string; headers: { get(name: string): string | null } },
  envelope: Envelope,
): Refusal | undefined {
  const host = request.headers.get("host");
  if (!isAllowedHost(host, envelope)) {
    return {
      status: 421,
      message: `This Flightdeck does not answer to the host ${JSON.stringify(host ?? "")}. Open it by a loopback address, or set FLIGHTDECK_PUBLIC_URL to the address people use.`,
    };
  }
  if (SAFE_METHODS.has(request.method.toUpperCase())) return undefined;
  const origin = request.headers.get("origin");
  if (origin !== null) {
    if (origin !== "null" && hostOfOrigin(origin) === host!.toLowerCase()) return undefined;
    return { status: 403, message: "Cross-origin request refused: changes can only be made from Flightdeck's own pages." };
  }
  const site = request.headers.get("sec-fetch-site");
  if (site === null || site === "same-origin" || site === "none") return undefined;
  return { status: 403, message: "Cross-site request refused: changes can only be made from Flightdeck's own pages." };
}

function hostOfOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
