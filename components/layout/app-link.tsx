import Link from "next/link";
import type { ComponentProps } from "react";

/**
 * The app's link: next/link without prefetching. Every page here is rendered per request (it reads
 * the caller and live data), so a prefetch is a whole server render: Next's default prefetches
 * every link in view, which on opening a session page was 16 renders of other pages, and on the
 * dashboard one per session row, all competing with what the reader opened.
 */
export function AppLink(props: ComponentProps<typeof Link>) {
  return <Link prefetch={false} {...props} />;
}
