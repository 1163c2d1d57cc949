"use client";

import { useTimeFormat } from "~/components/session/local-time";
import { archiveStateLabel } from "~/components/session/vocabulary";

// The archive state of a session tree as one line: not yet / syncing / synced / failed (with
// why) and when it was last synced: the session pages and the dashboard rows.

const tone: Record<string, string> = {
  none: "text-slate-500",
  syncing: "text-sky-700",
  archived: "text-violet-800",
  failed: "text-red-700",
};

type Props = { state: string; error: string | null; lastArchivedAt: Date | string | null; compact?: boolean };

/** `compact` (tables): a short label on its own line, the details in its tooltip. */
export function ArchiveState({ state, error, lastArchivedAt, compact }: Props) {
  const failure = state === "failed" && error ? `: ${error}` : "";
  const format = useTimeFormat();
  const when = lastArchivedAt ? ` · last synced ${format(lastArchivedAt)}` : "";
  return (
    <span
      data-testid="archive-state"
      data-state={state}
      title={compact ? `${archiveStateLabel(state)}${failure}${when}` : undefined}
      className={`${compact ? "mt-0.5 block text-[11px]" : "text-xs"} ${tone[state] ?? "text-slate-500"}`}
    >
      {archiveStateLabel(state)}
      {compact ? "" : `${failure}${when}`}
    </span>
  );
}
