"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { createTRPCClient, httpSubscriptionLink } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";
import { transformer } from "~/components/trpc/react";

// At most one re-render of the shared page a second while the tree streams (the last notice of
// a burst always gets one).
const REFRESH_EVERY_MS = 1_000;

/**
 * Keeps a share page current: a subscription scoped to the link (its token travels as a
 * connection parameter, not the visitor's cookie) tells when the tree changed, and the page is
 * rendered again on the server, through the same redaction. When the link stops opening
 * (revoked, expired, sharing off) the stream ends and the page shows that the link is gone.
 */
export function ShareFollow({ token, sessionId }: { token: string; sessionId: string }) {
  const router = useRouter();
  const [state, setState] = useState<"connecting" | "live" | "closed">("connecting");

  useEffect(() => {
    const client = createTRPCClient<AppRouter>({
      links: [httpSubscriptionLink({ url: "/api/trpc", transformer, connectionParams: { share: token } })],
    });
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      const wait = last + REFRESH_EVERY_MS - Date.now();
      timer = setTimeout(() => {
        last = Date.now();
        router.refresh();
      }, Math.max(0, wait));
    };
    const subscription = client.share.events.subscribe(
      { sessionId },
      {
        onStarted: () => setState("live"),
        onData: refresh,
        onError: () => {
          setState("closed");
          router.refresh();
        },
      },
    );
    return () => {
      clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [router, sessionId, token]);

  return (
    <span className="text-xs text-slate-500" data-testid="share-follow" data-state={state}>
      {state === "live" ? "Live" : state === "closed" ? "No longer live" : ""}
    </span>
  );
}
