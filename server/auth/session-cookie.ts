/** better-auth's cookie names start with this: `flightdeck.session_token` (`__Secure-` over https). */
export const COOKIE_PREFIX = "flightdeck";

const SESSION_COOKIES = [`${COOKIE_PREFIX}.session_token`, `__Secure-${COOKIE_PREFIX}.session_token`];

/**
 * Whether a request carries a sign-in at all (valid or not: only the session check can say).
 * Without one, a page is not worth rendering: its reads would all be refused.
 */
export function hasSessionCookie(cookies: { has(name: string): boolean }): boolean {
  return SESSION_COOKIES.some((name) => cookies.has(name));
}
