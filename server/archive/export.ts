import { randomUUID } from "node:crypto";
import type { ArchivedMessage, ArchivedPart, ArchivedSession, ArchivedTree, ArchivedTurn } from "./read";
import { rawPartData } from "~/server/store/part-data";
import { windowsOf, type ExportSource } from "./export-source";
import { treeStats, type TreeStats } from "./stats";

// Pure exports of an archived tree: the JSON document (the whole tree, nested; as text, written
// a window of turns at a time) and the plain transcript a fork on another runner is seeded with.

export const EXPORT_FORMAT = "flightdeck-archive";
export const EXPORT_VERSION = 1;

/** A part as the JSON export writes it. */
function partJson(tree: ArchivedTree, p: ArchivedPart) {
  return {
    id: p.opencodeId,
    type: p.type,
    text: p.text,
    tool: p.tool && { ...p.tool, childSessionId: p.tool.childSessionId ? tree.sessions[p.tool.childSessionId]?.opencodeId : null },
    // Whole, as opencode had it: the text is stored apart (server/store/part-data.ts).
    data: rawPartData(p),
  };
}

/** A message as the JSON export writes it, with its parts. */
function messageJson(tree: ArchivedTree, m: ArchivedMessage) {
  return {
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
    parts: m.parts.map((p) => partJson(tree, p)),
  };
}

/**
 * The whole tree as one document. `stats` and `messagesOf` (what stands for a turn's messages):
 * for an outline, whose turns hold no messages (exportJsonText streams them in after).
 */
export function exportJson(
  tree: ArchivedTree,
  exportedAt = new Date(),
  { stats = treeStats(tree), messagesOf = (t: ArchivedTurn): unknown => t.messages.map((m) => messageJson(tree, m)) }: { stats?: TreeStats; messagesOf?: (turn: ArchivedTurn) => unknown } = {},
) {
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
      messages: messagesOf(t),
    })),
    // Who answered the agent's permission and question requests, and how.
    requestAnswers: s.answers.map((a) => ({ requestId: a.requestId, kind: a.kind, reply: a.reply, answers: a.answers, by: a.by, at: a.at })),
    subAgents: s.children.map((id) => session(tree.sessions[id]!)),
  });
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt,
    runner: { name: tree.runner.name, kind: tree.runner.kind },
    archive: { state: tree.root.archiveState, version: tree.root.archiveVersion, lastArchivedAt: tree.root.lastArchivedAt },
    stats,
    forkedFrom: tree.forkedFrom,
    session: session(tree.root),
  };
}

/** Text handed on at once: a few writes per hundred KB. */
const PIECE_CHARS = 64 * 1024;

/**
 * The JSON export as text, `JSON.stringify(exportJson(tree), null, 2)` of the whole tree,
 * written a window of turns at a time (export-source.ts): the text around the turns' messages
 * holds the tree's outline, never its content.
 */
export async function* exportJsonText(source: ExportSource, exportedAt = new Date()): AsyncGenerator<string> {
  // A slot per turn's messages that nothing in the tree can spell (agent text cannot know the nonce).
  const nonce = randomUUID();
  const skeleton = JSON.stringify(exportJson(source.tree, exportedAt, { stats: source.stats, messagesOf: (t) => `\u0000messages:${nonce}:${t.id}` }), null, 2);
  const slots = [...skeleton.matchAll(new RegExp(`"\\\\u0000messages:${nonce}:([^"]+)"`, "g"))];
  let text = "";
  let at = 0;
  let next = 0;
  for (const window of windowsOf(slots.map((slot) => slot[1]!), source.turnParts)) {
    const turns = new Map((await source.turns(window)).map((t) => [t.id, t]));
    for (const id of window) {
      const slot = slots[next++]!;
      // A turn gone since the outline was read (a sync meanwhile) has no messages here.
      const messages = (turns.get(id)?.messages ?? []).map((m) => messageJson(source.tree, m));
      const line = skeleton.lastIndexOf("\n", slot.index) + 1;
      let depth = line;
      while (skeleton[depth] === " ") depth++;
      const indent = skeleton.slice(line, depth);
      text += skeleton.slice(at, slot.index) + JSON.stringify(messages, null, 2).replaceAll("\n", `\n${indent}`);
      at = slot.index + slot[0].length;
      if (text.length >= PIECE_CHARS) yield text, (text = "");
    }
  }
  yield text + skeleton.slice(at);
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
