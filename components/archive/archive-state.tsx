import { formatTime } from "~/components/session/format";

// The archive state of a session tree as one line: none / syncing / archived / failed (with
// why) and when it was last archived. Pure: the session page header and the archive banner.

const tone: Record<string, string> = {
  none: "text-slate-500",
  syncing: "text-sky-700",
  archived: "text-violet-800",
  failed: "text-red-700",
};

const label: Record<string, string> = {
  none: "Not archived yet",
  syncing: "Archive sync in progress",
  archived: "Archived",
  failed: "Archive sync failed",
};

type Props = { state: string; error: string | null; lastArchivedAt: Date | string | null; compact?: boolean };

/** `compact` (tables): a short label on its own line, the details in its tooltip. */
export function ArchiveState({ state, error, lastArchivedAt, compact }: Props) {
  const failure = state === "failed" && error ? `: ${error}` : "";
  const when = lastArchivedAt ? ` · last archived ${formatTime(lastArchivedAt)}` : "";
  return (
    <span
      data-testid="archive-state"
      data-state={state}
      title={compact ? `${label[state] ?? state}${failure}${when}` : undefined}
      className={`${compact ? "mt-0.5 block text-[11px]" : "text-xs"} ${tone[state] ?? "text-slate-500"}`}
    >
      {label[state] ?? state}
      {compact ? "" : `${failure}${when}`}
    </span>
  );
}
