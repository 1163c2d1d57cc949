import type { ArchivedPart, ArchivedSession, ArchivedTree } from "~/server/archive/read";
import type { Include } from "./links";

// What a link shows of its tree, decided before redaction (nothing left out is ever scanned,
// so nothing left out can leak): without sub-agents only the root remains; without reasoning
// its parts go; without tool outputs a tool call keeps its name, input and status. Links to
// other trees (forks, the fork source) are never shown, nor who answered the agent's requests
// (team members' names, and the requests quoted whole).

export function projectTree(tree: ArchivedTree, include: Include): ArchivedTree {
  const kept = include.subAgents ? Object.values(tree.sessions) : [tree.root];
  const sessions: Record<string, ArchivedSession> = {};
  for (const session of kept) sessions[session.id] = projectSession(session, include);
  const root = sessions[tree.root.id]!;
  return {
    requestedId: sessions[tree.requestedId] ? tree.requestedId : root.id,
    root,
    sessions,
    runner: { ...tree.runner },
    forkedFrom: null,
    forks: [],
  };
}

function projectSession(session: ArchivedSession, include: Include): ArchivedSession {
  return {
    ...session,
    children: include.subAgents ? session.children : [],
    answers: [],
    turns: session.turns.map((turn) => ({
      ...turn,
      messages: turn.messages.map((message) => ({
        ...message,
        parts: message.parts.filter((part) => include.reasoning || part.type !== "reasoning").map((part) => projectPart(part, include)),
      })),
    })),
  };
}

/** A whole part as the link shows it (a part the link leaves out is never asked for: see projectTree). */
export function projectPart(part: ArchivedPart, include: Include): ArchivedPart {
  if (!part.tool) return part;
  const tool = { ...part.tool, childSessionId: include.subAgents ? part.tool.childSessionId : null };
  if (include.toolOutputs) return { ...part, tool };
  // The raw part repeats the output (state.output, state.metadata): keep only what the card needs.
  const state = (part.data.state ?? {}) as Record<string, unknown>;
  return {
    ...part,
    data: { ...part.data, state: { status: state.status, input: state.input, title: state.title } },
    tool: { ...tool, output: null, outputTruncated: false, error: tool.error ? "(tool outputs are not shared)" : null },
  };
}
