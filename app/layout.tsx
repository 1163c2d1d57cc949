import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import "./globals.css";
import { Shell } from "~/components/layout/shell";
import { ThemeBoot } from "~/components/theme/theme-boot";
import { TRPCReactProvider } from "~/components/trpc/react";
import { api } from "~/server/api/server-caller";
import { isPublicPage, isSharePage, signInPath } from "~/server/auth/next-path";

export const metadata: Metadata = {
  title: "Flightdeck",
  description: "Run, watch, archive and share OpenCode agent sessions",
};

// The gate of every page: an empty team sees only the setup page; a signed-out visitor is
// sent to sign in and brought back (proxy.ts says which path was asked for). What each page
// shows is then decided by the role checks of the procedures it calls.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const path = (await headers()).get("x-flightdeck-path") ?? "/";
  if (isSharePage(path)) return <SharedLayout>{children}</SharedLayout>;
  const caller = await api();
  const me = await caller.account.me();
  if (!isPublicPage(path)) {
    if (await caller.account.setupNeeded()) redirect("/setup");
    if (me.kind !== "user") redirect(signInPath(path));
  }
  return (
    <html lang="en" suppressHydrationWarning>
      <ThemeBoot />
      <body>
        <TRPCReactProvider me={me}>
          <Shell me={me}>{children}</Shell>
        </TRPCReactProvider>
      </body>
    </html>
  );
}

// A share link's page shows the shared tree and nothing else of the app: no navigation, no
// account, whoever opens it.
function SharedLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <ThemeBoot />
      <body className="min-h-screen bg-slate-50">
        <main>{children}</main>
      </body>
    </html>
  );
}
