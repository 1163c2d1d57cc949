"use client";

import { useSessionTitle } from "~/components/needs-you/use-attention";
import type { DisplayStatus } from "~/components/session/status";

/** An archived page's tab says what the session is, as a live page's does ("Gone from runner · Fix the tests · Flightdeck"). */
export function ArchiveTabTitle({ status, title }: { status: DisplayStatus; title: string }) {
  useSessionTitle(status, title);
  return null;
}
