"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the server page around it every few seconds (health and counts change on their own). */
export function AutoRefresh({ everyMs }: { everyMs: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
