import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "~/components/auth/sign-out-button";
import { NeedsYouNav } from "~/components/needs-you/needs-you-nav";
import { CommandPalette } from "~/components/palette/command-palette";
import { ShortcutsHelp } from "~/components/keyboard/shortcuts-help";
import type { Caller } from "~/server/auth/roles";
import { navPagesFor } from "./nav";

export function Shell({ me, children }: { me: Caller; children: ReactNode }) {
  const pages = navPagesFor(me);
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
                {pages.map((item) => (
                  <Link key={item.href} href={item.href} className="text-slate-600 hover:text-slate-900">
                    {item.label}
                  </Link>
                ))}
              </nav>
              <NeedsYouNav />
              <span className="flex-1" />
              <CommandPalette pages={pages} />
              <ShortcutsHelp />
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
