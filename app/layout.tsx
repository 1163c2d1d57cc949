import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Shell } from "~/components/layout/shell";
import { TRPCReactProvider } from "~/components/trpc/react";

export const metadata: Metadata = {
  title: "Flightdeck",
  description: "Run, watch, archive and share OpenCode agent sessions",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>
          <Shell>{children}</Shell>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
