import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "~/components/auth/sign-out-button";
import { hasRole, type Caller } from "~/server/auth/roles";

const nav = [
  { href: "/", label: "Sessions" },
  { href: "/search", label: "Search" },
  { href: "/runners", label: "Runners" },
  { href: "/shares", label: "Shared links" },
  { href: "/archive", label: "Archive", admin: true },
  { href: "/team", label: "Team", admin: true },
];

export function Shell({ me, children }: { me: Caller; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-8 px-6 py-3">
          <Link href="/" className="text-lg font-semibold tracking-tight">
            Flightdeck
          </Link>
          {me.kind === "user" && (
            <>
              <nav aria-label="Main" className="flex gap-4 text-sm">
                {nav
                  .filter((item) => !item.admin || hasRole(me, "admin"))
                  .map((item) => (
                    <Link key={item.href} href={item.href} className="text-slate-600 hover:text-slate-900">
                      {item.label}
                    </Link>
                  ))}
              </nav>
              <span className="flex-1" />
              <div className="flex items-center gap-4 text-sm" aria-label="Account">
                <Link href="/account" className="text-slate-600 hover:text-slate-900" data-testid="account-name">
                  {me.name} <span className="text-slate-400">({me.role})</span>
                </Link>
                <SignOutButton />
              </div>
            </>
          )}
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
