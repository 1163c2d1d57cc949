import { AppLink } from "~/components/layout/app-link";
import type { ReactNode } from "react";
import { SignOutButton } from "~/components/auth/sign-out-button";
import { NeedsYouNav } from "~/components/needs-you/needs-you-nav";
import { CommandPalette } from "~/components/palette/command-palette";
import { ShortcutsHelp } from "~/components/keyboard/shortcuts-help";
import { ThemeToggle } from "~/components/theme/theme-toggle";
import type { Caller } from "~/server/auth/roles";
import { navPagesFor } from "./nav";
import { SKIP_LINK } from "./skip-link";

export function Shell({ me, children }: { me: Caller; children: ReactNode }) {
  const pages = navPagesFor(me);
  return (
    <div className="min-h-screen">
      <a href="#content" className={SKIP_LINK}>
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        {/* Wraps rather than scrolls on a narrow screen (400 px): links and controls take new lines. */}
        {/* One line from 1280 px, even with "N waiting for you" showing (the role is on the account page below 1536 px). */}
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
          <AppLink href="/" className="text-lg font-semibold tracking-tight">
            Flightdeck
          </AppLink>
          {me.kind === "user" && (
            <>
              <nav aria-label="Main" className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
                {pages.map((item) => (
                  <AppLink key={item.href} href={item.href} className="text-slate-600 hover:text-slate-900">
                    {item.label}
                  </AppLink>
                ))}
              </nav>
              <NeedsYouNav />
              <span className="hidden flex-1 sm:block" />
              <CommandPalette pages={pages} />
              <ShortcutsHelp />
              <ThemeToggle />
              <div role="group" className="flex items-center gap-4 text-sm" aria-label="Account">
                <AppLink href="/account" className="text-slate-600 hover:text-slate-900" data-testid="account-name" title={`${me.name}, ${me.role}`}>
                  {me.name} <span className="hidden text-slate-500 2xl:inline">({me.role})</span>
                </AppLink>
                <SignOutButton />
              </div>
            </>
          )}
        </div>
      </header>
      <main id="content" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}
