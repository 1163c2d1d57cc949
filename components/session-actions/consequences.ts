export type DeleteTarget = { sessionId: string; title: string; runnerName: string; subagents: number };

/** What deleting takes away and what stays, said before anyone confirms (see deleteSession). */
export function deleteConsequences({ title, runnerName, subagents }: DeleteTarget): string[] {
  const agents = subagents === 0 ? "It has no sub-agents." : `Its ${subagents} sub-agent session${subagents === 1 ? "" : "s"} go${subagents === 1 ? "es" : ""} with it.`;
  return [
    `Delete “${title || "Untitled session"}” from the runner “${runnerName}”?`,
    agents,
    "The archive keeps the whole tree, read-only (an admin can purge it); no one can prompt it again.",
  ];
}
