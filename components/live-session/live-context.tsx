"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { RequestAnswer, SnapshotState } from "~/components/session/types";
import type { LoadOlder } from "./use-session-stream";

/** What rows deep inside a live conversation need from the page around them. */
export type LiveContextValue = {
  tree: SnapshotState;
  /** Answered requests per opencode session id (recorded answers merged with ones just seen). */
  answers: Map<string, RequestAnswer[]>;
  /** Archive row id per opencode session id, for links and for commands. */
  rowIds: Map<string, string>;
  /** The page's session row: commands fall back to it while a sub-agent's row id is unknown. */
  sessionRowId: string;
  /** Sub-agent sessions expanded inline (kept here so a row scrolled out and back stays open). */
  expanded: ReadonlySet<string>;
  toggle: (childSessionId: string) => void;
  /** Why answering requests is not possible right now, if it is not. */
  answerBlocked?: string;
  /** Pages in the parts a session of `tree` does not hold yet (its snapshot was a window). */
  loadOlder: LoadOlder;
};

const LiveContext = createContext<LiveContextValue | null>(null);

export function LiveProvider({ value, children }: { value: LiveContextValue; children: ReactNode }) {
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error("useLive outside LiveProvider");
  return value;
}
