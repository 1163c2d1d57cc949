// What each session status looks like and says, in one place for every view.

export type DisplayStatus = "running" | "idle" | "waiting" | "stalled" | "error" | "archived";

export const statusLabel: Record<DisplayStatus, string> = {
  running: "Running",
  idle: "Idle",
  waiting: "Waiting for permission",
  stalled: "Stalled",
  error: "Error",
  archived: "Archived",
};

export const statusTone: Record<DisplayStatus, string> = {
  running: "bg-sky-50 text-sky-800 ring-sky-200",
  idle: "bg-slate-50 text-slate-700 ring-slate-200",
  waiting: "bg-amber-50 text-amber-800 ring-amber-300",
  stalled: "bg-orange-50 text-orange-800 ring-orange-300",
  error: "bg-red-50 text-red-800 ring-red-200",
  archived: "bg-violet-50 text-violet-800 ring-violet-200",
};

/** Statuses in which the runner is still working on a turn. */
export function isActive(status: string | undefined): boolean {
  return status === "running" || status === "waiting";
}

/** Statuses in which a turn is still open on the runner (a stalled one too): Abort can end it. */
export function isTurnOpen(status: string | undefined): boolean {
  return isActive(status) || status === "stalled";
}

/**
 * What a session is doing as its view shows it: a turn blocked on an open permission or question
 * request is waiting for a person (the runner keeps reporting it busy).
 */
export function viewStatus(view: {
  status: Exclude<DisplayStatus, "archived">;
  permissions: Record<string, unknown>;
  questions: Record<string, unknown>;
}): Exclude<DisplayStatus, "archived"> {
  const open = Object.keys(view.permissions).length + Object.keys(view.questions).length > 0;
  return open && (view.status === "running" || view.status === "idle") ? "waiting" : view.status;
}
