/**
 * Who sent a request, as the app's per-address limits (sign-in attempts, share-link token checks)
 * count it. A client may send any X-Forwarded-For, so the server in front replaces it with what
 * it knows: the socket's peer, or, behind a proxy the operator trusts (FLIGHTDECK_TRUST_PROXY=1),
 * the address that proxy gives (X-Real-IP, else the last X-Forwarded-For entry: the one it
 * appended; those before it are the client's own claims).
 */

/** @param {import("node:http").IncomingHttpHeaders} headers @param {string | undefined} peer @param {boolean} trustProxy */
export function clientAddress(headers, peer, trustProxy) {
  if (trustProxy) {
    const real = first(headers["x-real-ip"])?.trim();
    if (real) return real;
    const forwarded = (first(headers["x-forwarded-for"]) ?? "").split(",").map((s) => s.trim()).filter(Boolean).at(-1);
    if (forwarded) return forwarded;
  }
  return peer ?? "unknown";
}

/** Replaces what the request says of its sender with `clientAddress` (one X-Forwarded-For, no X-Real-IP). */
export function setClientAddress(req, trustProxy) {
  const address = clientAddress(req.headers, req.socket.remoteAddress, trustProxy);
  delete req.headers["x-real-ip"];
  req.headers["x-forwarded-for"] = address;
}

const first = (value) => (Array.isArray(value) ? value[0] : value);
