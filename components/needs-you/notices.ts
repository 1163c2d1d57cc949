import { permissionSummary } from "~/components/session/requests";
import type { NeedsYouView } from "./types";

/** A browser notification to show: `tag` lets every open tab show it once between them. */
export type Notice = { tag: string; title: string; body: string; href: string };

/**
 * What changed between two reads of the "Needs you" layer that a person would want to hear of:
 * a request that was not waiting before, a run that was going and has ended. Nothing on the
 * first read: opening a tab is not news.
 */
export function newNotices(before: NeedsYouView | undefined, now: NeedsYouView): Notice[] {
  if (!before) return [];
  const known = new Set(before.waiting.map((w) => w.request.id));
  const asked = now.waiting
    .filter((w) => !known.has(w.request.id))
    .map((w) => ({
      tag: `request:${w.request.id}`,
      title: w.request.type === "permission" ? "Permission needed" : "The agent has a question",
      body: `${w.request.type === "permission" ? permissionSummary(w.request) : (w.request.questions[0]?.question ?? "")} · ${w.rootTitle}`,
      href: `/sessions/${w.sessionId}`,
    }));
  const wasRunning = new Set(before.running.map((r) => r.rootId));
  const ended = now.ended
    .filter((r) => wasRunning.has(r.rootId))
    .map((r) => ({
      tag: `ended:${r.rootId}:${new Date(r.at).getTime()}`,
      title: r.status === "error" ? "Run failed" : "Run finished",
      body: r.title,
      href: `/sessions/${r.rootId}`,
    }));
  return [...asked, ...ended];
}
