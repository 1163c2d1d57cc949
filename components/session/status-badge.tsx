import { statusLabel, statusTone, type DisplayStatus } from "./status";

/** A session's status; running sessions get an animated dot so "live" is visible at a glance. */
export function StatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <span
      data-testid="status-badge"
      data-status={status}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusTone[status]}`}
    >
      {status === "running" && <PulseDot />}
      {statusLabel[status]}
    </span>
  );
}

export function PulseDot({ tone = "bg-sky-500" }: { tone?: string }) {
  return (
    <span className="relative inline-flex h-2 w-2" aria-hidden>
      <span className={`absolute inline-flex h-full w-full animate-ping rounded-full opacity-60 ${tone}`} />
      <span className={`relative inline-flex h-2 w-2 rounded-full ${tone}`} />
    </span>
  );
}

/** The animated marker of content that is still streaming. */
export function LiveIndicator() {
  return (
    <span data-testid="live-indicator" className="inline-flex items-center gap-1.5 text-xs font-semibold text-emerald-700">
      <PulseDot tone="bg-emerald-500" />
      Live
    </span>
  );
}
