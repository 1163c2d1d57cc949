// What each session status looks like and says, in one place for every view.

import type { ListStatus } from "~/server/store/session-list";
import { turnOpenStatuses } from "~/server/stream/session-status";
import { presenceLabel } from "./vocabulary";

// "gone" is the runner presence of a session removed from its runner; the archive's own state
// (not yet / synced / failed) is a separate thing with separate words (see ./vocabulary).
export type DisplayStatus = ListStatus;

export const statusLabel: Record<DisplayStatus, string> = {
  running: "Running",
  idle: "Idle",
  waiting: "Waiting for permission",
  stalled: "Stalled",
  error: "Error",
  gone: presenceLabel.gone,
};

export const statusTone: Record<DisplayStatus, string> = {
  running: "bg-sky-50 text-sky-800 ring-sky-200",
  idle: "bg-slate-50 text-slate-700 ring-slate-200",
  waiting: "bg-amber-50 text-amber-800 ring-amber-300",
  stalled: "bg-orange-50 text-orange-800 ring-orange-300",
  error: "bg-red-50 text-red-800 ring-red-200",
  gone: "bg-slate-100 text-slate-700 ring-slate-300",
};

/** Statuses in which the runner is still working on a turn. */
export function isActive(status: string | undefined): boolean {
  return status === "running" || status === "waiting";
}

/** Statuses in which a turn is still open on the runner (a stalled one too): Abort can end it. */
export function isTurnOpen(status: string | undefined): boolean {
  return (turnOpenStatuses as readonly (string | undefined)[]).includes(status);
}

/**
 * What a session is doing as its view shows it: a turn blocked on an open permission or question
 * request is waiting for a person (the runner keeps reporting it busy).
 */
export function viewStatus(view: {
  status: Exclude<DisplayStatus, "gone">;
  permissions: Record<string, unknown>;
  questions: Record<string, unknown>;
}): Exclude<DisplayStatus, "gone"> {
  const open = Object.keys(view.permissions).length + Object.keys(view.questions).length > 0;
  return open && (view.status === "running" || view.status === "idle") ? "waiting" : view.status;
}
