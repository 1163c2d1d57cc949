import { hasRole, type Caller } from "~/server/auth/roles";

// The app's pages, in one list: the header's navigation and the command palette both show
// the ones the caller may open.

export type NavPage = { href: string; label: string };

const pages: (NavPage & { admin?: true })[] = [
  { href: "/", label: "Sessions" },
  { href: "/runners", label: "Runners" },
  { href: "/shares", label: "Shared links" },
  { href: "/search", label: "Search" },
  { href: "/usage", label: "Usage" },
  { href: "/archive", label: "Archive", admin: true },
  { href: "/team", label: "Team", admin: true },
];

export function navPagesFor(caller: Caller): NavPage[] {
  return pages.filter((page) => !page.admin || hasRole(caller, "admin")).map(({ href, label }) => ({ href, label }));
}
