import type { ArchivedPart, ArchivedSession, ArchivedTree } from "./read";
import { treeStats } from "./stats";

// Pure exports of an archived tree: the JSON document (the whole tree, nested) and the plain
// transcript a fork on another runner is seeded with.

export const EXPORT_FORMAT = "flightdeck-archive";
export const EXPORT_VERSION = 1;

export function exportJson(tree: ArchivedTree, exportedAt = new Date()) {
  const session = (s: ArchivedSession): Record<string, unknown> => ({
    id: s.id,
    opencodeId: s.opencodeId,
    title: s.title,
    directory: s.directory,
    agent: s.agent,
    providerId: s.providerId,
    modelId: s.modelId,
    status: s.status,
    createdAt: s.createdAt,
    lastActivityAt: s.lastActivityAt,
    deletedAt: s.deletedAt,
    spawnedBy: s.spawnedBy,
    revertedAt: s.revertedAt,
    turns: s.turns.map((t) => ({
      index: t.index,
      userMessageId: t.userMessageId,
      status: t.status,
      error: t.error,
      revertedAt: t.revertedAt,
      startedAt: t.startedAt,
      endedAt: t.endedAt,
      messages: t.messages.map((m) => ({
        id: m.opencodeId,
        role: m.role,
        agent: m.agent,
        providerId: m.providerId,
        modelId: m.modelId,
        tokens: m.usage,
        cost: m.cost,
        error: m.error,
        createdAt: m.createdAt,
        completedAt: m.completedAt,
        parts: m.parts.map((p) => ({
          id: p.opencodeId,
          type: p.type,
          text: p.text,
          tool: p.tool && { ...p.tool, childSessionId: p.tool.childSessionId ? tree.sessions[p.tool.childSessionId]?.opencodeId : null },
          data: p.data,
        })),
      })),
    })),
    subAgents: s.children.map((id) => session(tree.sessions[id]!)),
  });
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt,
    runner: { name: tree.runner.name, kind: tree.runner.kind },
    archive: { state: tree.root.archiveState, version: tree.root.archiveVersion, lastArchivedAt: tree.root.lastArchivedAt },
    stats: treeStats(tree),
    forkedFrom: tree.forkedFrom,
    session: session(tree.root),
  };
}

/** A file name for downloads: the title's words, then the root's id. */
export function exportFileName(tree: ArchivedTree, extension: string): string {
  const words = tree.root.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48);
  return `${words || "session"}-${tree.root.id.slice(0, 8)}.${extension}`;
}

const TOOL_OUTPUT_IN_TRANSCRIPT = 2_000;

/**
 * The root conversation as plain text, up to and including turn `throughTurn` (all turns when
 * absent): what a fork on a runner that never had the session is seeded with.
 */
export function transcriptOf(tree: ArchivedTree, throughTurn?: number): string {
  const lines: string[] = [];
  for (const turn of tree.root.turns) {
    if (throughTurn !== undefined && turn.index > throughTurn) break;
    for (const message of turn.messages) {
      const text = message.parts.map((p) => partText(p)).filter(Boolean).join("\n");
      if (!text) continue;
      lines.push(`${message.role === "user" ? "User" : "Assistant"}:\n${text}`);
    }
  }
  return lines.join("\n\n");
}

function partText(part: ArchivedPart): string {
  if (part.type === "text") return part.text ?? "";
  if (part.tool) {
    const output = part.tool.output ?? part.tool.error ?? "";
    const cut = output.length > TOOL_OUTPUT_IN_TRANSCRIPT ? `${output.slice(0, TOOL_OUTPUT_IN_TRANSCRIPT)}…` : output;
    return `[tool ${part.tool.tool}${part.tool.title ? `: ${part.tool.title}` : ""}]\n${cut}`;
  }
  return "";
}
