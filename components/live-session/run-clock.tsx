"use client";

import { formatDuration } from "~/components/session/format";
import { viewStatus } from "~/components/session/status";
import { latestTurn } from "~/server/stream/materialize";
import type { SessionView } from "~/components/session/types";
import { useNow } from "~/components/traces/use-now";
import type { Connection } from "~/components/session/connection";

/** Silence worth mentioning while a turn runs: long before the runner is declared stalled. */
export const QUIET_HINT_MS = 10_000;

/**
 * How long the running turn has taken and, once the tree has been quiet for a while, for how
 * long: a hung turn shows it long before the stall watchdog (`FLIGHTDECK_STALL_MS`) gives up on it.
 */
/**
 * `connection`: silence is only the runner's while the stream is live (a page that lost its
 * stream, or was signed out, hears nothing whatever the runner does; its indicator says why).
 */
export function RunClock({ view, lastEventAt, connection }: { view: SessionView; lastEventAt: number | null; connection: Connection }) {
  // Waiting for a person is not silence to warn about.
  const status = viewStatus(view);
  const open = status === "running" || status === "stalled";
  const now = useNow(open, Date.now());
  const turn = latestTurn(view);
  const startedAt = turn ? view.messages[turn.userMessageId]?.createdAt : undefined;
  // Signed out, the page no longer knows how the run goes.
  if (!open || startedAt === undefined || connection === "signed-out") return null;
  const quiet = lastEventAt === null || connection !== "live" ? 0 : Math.max(0, now - lastEventAt);
  const quietFor = `no events for ${Math.floor(quiet / 1000)} s`;
  const retry = view.retry;
  return (
    <p data-testid="run-clock" className="flex flex-wrap items-center gap-x-2 text-xs text-slate-600">
      <span data-testid="run-elapsed">Turn {turn!.index} running for {formatDuration(Math.max(0, now - startedAt))}</span>
      {retry && (
        <span data-testid="run-retry" className="text-amber-800">
          · retrying in {Math.max(0, Math.ceil(((retry.nextAt ?? now) - now) / 1000))} s (attempt {retry.attempt}): {retry.message}
        </span>
      )}
      {status === "stalled" ? (
        <span data-testid="run-quiet" className="font-medium text-orange-800">
          · {quietFor}: the runner may be stuck. Abort ends the turn.
        </span>
      ) : (
        quiet >= QUIET_HINT_MS && (
          <span data-testid="run-quiet" className="text-amber-800">
            · {quietFor}
          </span>
        )
      )}
    </p>
  );
}
