/** The cookie that tells share-link viewers apart for view counts (set by proxy.ts, random, nothing else). */
export const VIEWER_COOKIE = "flightdeck_viewer";

/** The viewer id from a Cookie header, if any. */
export function viewerOf(cookieHeader: string | null): string | undefined {
  const match = cookieHeader?.match(new RegExp(`(?:^|;\\s*)${VIEWER_COOKIE}=([\\w-]{1,64})`));
  return match?.[1];
}
