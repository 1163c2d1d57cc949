/** Where to go after signing in: a path on this site only (never `//other.host` or a URL). */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}

/** The sign-in page that brings the visitor back to `path` afterwards. */
export function signInPath(path: string): string {
  return `/sign-in?next=${encodeURIComponent(path)}`;
}

/** Pages anyone may open: signing in and the one-time links. */
export function isPublicPage(path: string): boolean {
  const pathname = path.split("?")[0]!;
  return pathname === "/sign-in" || pathname === "/setup" || pathname === "/invite";
}

/** Share-link pages: open to anyone with the link, outside the app (no navigation, no account). */
export function isSharePage(path: string): boolean {
  return path.startsWith("/share/");
}
