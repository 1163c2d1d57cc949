import type { SessionEvent } from "~/server/stream/session-event";
import type { OlderParts } from "~/server/store/older-parts";
import type { SessionView } from "~/components/session/types";
import type { LiveState } from "./fold";

// A long session's live view holds its latest parts (the snapshot's window) and pages in older
// ones. Everything else (turns, messages, statuses) is whole, so outline and usage are exact.

/**
 * An event about a part the view does not hold: left out, as the rest of that part is. Only
 * parts before the window qualify, which are settled history: the page that loads them reads
 * them as the archive holds them.
 */
export function outsideWindow(view: SessionView | undefined, event: SessionEvent): boolean {
  const window = view?.window;
  if (!window) return false;
  if (event.kind === "part.upserted") return event.part.id < window.partId;
  if (event.kind === "part.delta" || event.kind === "part.removed") return event.partId < window.partId;
  return false;
}

/**
 * The view with an older page of its parts in (parts it already holds stay as they are). A page
 * asked for `before` a window the view no longer has (a fresh snapshot came meanwhile) is dropped.
 */
export function mergeOlder(live: LiveState, page: OlderParts, before: string): LiveState {
  const view = live.tree?.sessions[page.sessionId];
  // An empty page changes nothing: returning the same state lets a jump to a turn that is not
  // there stop asking.
  if (!live.tree || view?.window?.partId !== before || Object.keys(page.parts).length === 0) return live;
  const parts = { ...page.parts, ...view.parts };
  const window = page.window && page.window.partId < view.window.partId ? page.window : undefined;
  const merged: SessionView = { ...view, parts, window };
  if (!window) delete merged.window;
  return { ...live, tree: { ...live.tree, sessions: { ...live.tree.sessions, [page.sessionId]: merged } } };
}

/**
 * What the conversation shows of a windowed view: from the message of its earliest part on.
 * Earlier turns and messages, whose parts are not loaded, would show as empty prompts and answers.
 */
export function shownView(view: SessionView): SessionView {
  const window = view.window;
  if (!window) return view;
  const messages: SessionView["messages"] = {};
  for (const [id, message] of Object.entries(view.messages)) if (id >= window.messageId) messages[id] = message;
  const firstTurnId = view.messages[window.messageId]?.turnId;
  const firstTurn = view.turns.find((t) => t.id === firstTurnId)?.index ?? 0;
  return { ...view, messages, turns: view.turns.filter((t) => t.index >= firstTurn) };
}

/** The lowest turn index the shown view starts at; undefined when everything is shown. */
export function firstShownTurn(view: SessionView): number | undefined {
  if (!view.window) return undefined;
  const turnId = view.messages[view.window.messageId]?.turnId;
  return view.turns.find((t) => t.id === turnId)?.index;
}
