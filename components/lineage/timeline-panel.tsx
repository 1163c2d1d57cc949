"use client";

import { useState, type MouseEvent } from "react";
import { AppLink } from "~/components/layout/app-link";
import { useRouter } from "next/navigation";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { useCan } from "~/components/auth/use-me";
import { formatCost, formatDuration, formatTokens } from "~/components/session/format";
import { LocalTime } from "~/components/session/local-time";
import { RestoreConfirm } from "./restore-confirm";
import { turnAnchor } from "./turn-anchor";
import type { TimelinePage, TimelineTurn } from "./types";

const PAGE = 20;

/**
 * Every turn of the tree's root session, newest first, read from the server a page at a time.
 * A turn links to its place in the root's conversation (`#turn-<n>`, on this page when it is
 * the root's); operators can restore to it or fork from it.
 */
export function TimelinePanel({ pageSessionId, initial }: { pageSessionId: string; initial: TimelinePage }) {
  const trpc = useTRPC();
  const timeline = useInfiniteQuery({
    ...trpc.session.timeline.infiniteQueryOptions({ sessionId: pageSessionId, limit: PAGE }, { getNextPageParam: (page) => page.nextCursor }),
    initialData: { pages: [initial], pageParams: [null] },
  });
  const pages = timeline.data?.pages ?? [initial];
  const turns = pages.flatMap((p) => p.turns);
  if (pages[0]!.turnCount === 0) return null;
  return (
    <section className="mt-4 rounded-lg border border-slate-200 bg-white p-3" data-testid="timeline" aria-label="Timeline">
      <h2 className="text-sm font-medium text-slate-700">
        Timeline{" "}
        <span className="font-normal text-slate-500">
          ({pages[0]!.turnCount} turn{pages[0]!.turnCount === 1 ? "" : "s"}, newest first)
        </span>
      </h2>
      <ol className="mt-2 divide-y divide-slate-100">
        {turns.map((turn, i) => (
          // Newest first: the turn after this one is the row above it (none for the newest).
          <TurnRow key={turn.id} turn={turn} nextTurnMessageId={turns[i - 1]?.userMessageId} rootId={initial.sessionId} onRootPage={pageSessionId === initial.sessionId} gone={pages[0]!.gone} />
        ))}
      </ol>
      {timeline.hasNextPage && (
        <button
          type="button"
          onClick={() => timeline.fetchNextPage()}
          disabled={timeline.isFetchingNextPage}
          className="mt-2 rounded-md border border-slate-300 px-3 py-1 text-xs hover:bg-slate-50 disabled:opacity-50"
        >
          {timeline.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
      {timeline.error && <p className="mt-2 text-xs text-red-700" data-testid="timeline-error">The timeline could not be read again: {timeline.error.message}</p>}
    </section>
  );
}

/**
 * A fork "from here" keeps this turn and every turn before it (as the archive's "fork through
 * turn" does): opencode forks the messages before the one it is given, so it is given the next
 * turn's prompt, or none for the newest turn.
 */
function TurnRow({ turn, nextTurnMessageId, rootId, onRootPage, gone }: { turn: TimelineTurn; nextTurnMessageId?: string; rootId: string; onRootPage: boolean; gone: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const canOperate = useCan("operator");
  const [confirming, setConfirming] = useState(false);
  const opened = { onSuccess: ({ id }: { id: string }) => router.push(`/sessions/${id}`) };
  // A tree still on its runner forks there; one deleted from it forks from the archive.
  const live = useMutation(trpc.session.fork.mutationOptions(opened));
  const archived = useMutation(trpc.archive.fork.mutationOptions(opened));
  const fork = gone ? archived : live;
  const forkHere = () => (gone ? archived.mutate({ sessionId: rootId, throughTurn: turn.index }) : live.mutate({ sessionId: rootId, messageId: nextTurnMessageId }));
  const anchor = `#${turnAnchor(turn.index)}`;
  // The same hash again fires no hashchange: tell the conversation anyway.
  const jumpAgain = (event: MouseEvent) => {
    if (window.location.hash === anchor) {
      event.preventDefault();
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    }
  };
  return (
    <li className="py-1.5 text-xs text-slate-600" data-testid="timeline-turn" data-turn={turn.index} data-status={turn.status} data-reverted={turn.revertedAt ? "" : undefined}>
      <div className="flex flex-wrap items-baseline gap-x-3">
        {onRootPage ? (
          // A plain anchor: the router's own hash navigation fires no hashchange for the live view.
          <a href={anchor} onClick={jumpAgain} className="text-sm font-medium text-sky-700 hover:underline">
            Turn {turn.index}
          </a>
        ) : (
          <AppLink href={`/sessions/${rootId}${anchor}`} className="text-sm font-medium text-sky-700 hover:underline">
            Turn {turn.index}
          </AppLink>
        )}
        <LocalTime at={turn.startedAt} />
        <span>{turn.status === "aborted" && !turn.ran ? "Not run" : turn.durationMs === null ? turn.status : formatDuration(turn.durationMs)}</span>
        <span>
          {turn.toolCalls} tool call{turn.toolCalls === 1 ? "" : "s"}
        </span>
        <span>
          {formatTokens(turn.tokens.input)} in / {formatTokens(turn.tokens.output)} out · {formatCost(turn.cost)}
        </span>
        {turn.subagents.length > 0 && (
          <span>
            spawned{" "}
            {turn.subagents.map((s, i) => (
              <span key={s.id}>
                {i > 0 && ", "}
                <AppLink href={`/sessions/${s.id}`} className={`hover:underline ${s.revertedAt ? "text-slate-500 line-through" : "text-sky-700"}`}>
                  {s.title || "sub-agent"}
                </AppLink>
              </span>
            ))}
          </span>
        )}
        {turn.revertedAt && <span className="text-amber-700">reverted</span>}
        {turn.error && <span className="text-red-700">{turn.error}</span>}
        {canOperate && !turn.revertedAt && (
          <span className="ml-auto flex gap-2">
            {/* Restoring reverts on the runner: a tree deleted from it can only be forked. */}
            {!gone && (
              <button type="button" onClick={() => setConfirming(true)} className="text-amber-700 hover:underline">
                Restore to here
              </button>
            )}
            <button type="button" disabled={fork.isPending} onClick={forkHere}
              title={`A new session with turns 1 to ${turn.index}`}
              className="text-sky-700 hover:underline"
            >
              {fork.isPending ? "Forking…" : "Fork from here"}
            </button>
          </span>
        )}
      </div>
      {fork.error && <p className="text-red-700">{fork.error.message}</p>}
      {confirming && <RestoreConfirm sessionId={rootId} messageId={turn.userMessageId} turnIndex={turn.index} onClose={() => setConfirming(false)} />}
    </li>
  );
}
