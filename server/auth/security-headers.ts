/**
 * Headers every response carries (next.config.ts sets them on pages, routes and error pages;
 * proxy.ts on the answers it makes itself):
 * - no framing by any site (clickjacking of Purge, Fork, role changes): CSP `frame-ancestors`,
 *   and X-Frame-Options for browsers that predate it;
 * - no `<base>` or form target pointing elsewhere, no plugins. No script-src: Next's own inline
 *   scripts would need a nonce on every page, and every rendered value is escaped already;
 * - no Referer with session or share-link paths to other sites; no MIME sniffing of downloads.
 */
export const SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Content-Type-Options", value: "nosniff" },
];

/** Adds the security headers to a response's headers (for answers no Next config reaches). */
export function withSecurityHeaders(headers: HeadersInit = {}): Headers {
  const out = new Headers(headers);
  for (const { key, value } of SECURITY_HEADERS) out.set(key, value);
  return out;
}
