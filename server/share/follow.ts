import type { PrismaClient } from "~/server/generated/prisma/client";
import type { LiveStreams } from "~/server/hub/live-streams";
import type { SessionEvent } from "~/server/stream";
import { activeLink } from "./access";
import { ShareError } from "./links";

/**
 * What a share page's live view is told: the seq of the last event of each chunk the tree's
 * hub delivers (resuming from `lastSeq` exactly as the team's own stream does), never the event
 * itself. The page then re-reads the tree through the one redacted path (shared-tree.ts), so a
 * stream event can leak nothing and a missed one loses nothing. Events are published before they
 * are stored, so that read first waits for the store (`sessionStored`, server/bridge).
 *
 * The link is checked every `checkEveryMs`, so a revoke, an expiry or sharing switched off ends
 * the stream within that time, quiet tree or not; it then throws ShareError("not-active").
 */
export async function* followSharedTree(
  deps: { db: PrismaClient; hub: LiveStreams<SessionEvent> },
  input: { linkId: string; key: string; lastSeq?: number; checkEveryMs?: number },
  signal: AbortSignal,
): AsyncGenerator<number> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  let closed = false;
  const timer = setInterval(() => {
    void activeLink(deps.db, input.linkId).then(
      (link) => {
        if (!link) {
          closed = true;
          stop.abort();
        }
      },
      () => {},
    );
  }, input.checkEveryMs ?? 500);
  try {
    for await (const chunk of deps.hub.subscribe(input.key, input.lastSeq, stop.signal)) {
      if (closed) break;
      yield chunk.at(-1)!.seq;
    }
  } finally {
    clearInterval(timer);
    signal.removeEventListener("abort", onAbort);
  }
  if (closed) throw new ShareError("not-active", "This link is not available.");
}
