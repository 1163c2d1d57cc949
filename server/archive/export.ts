import { randomUUID } from "node:crypto";
import type { ArchivedMessage, ArchivedPart, ArchivedSession, ArchivedTree } from "./read";
import { rawPartData } from "~/server/store/part-data";
import { treeStats } from "./stats";

// Pure exports of an archived tree: the JSON document (the whole tree, nested; as text, written
// a few hundred parts at a time) and the plain transcript a fork on another runner is seeded with.

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

/** `partsOf`: what stands for a message's parts (exportJsonText streams them in after). */
export function exportJson(tree: ArchivedTree, exportedAt = new Date(), partsOf: (message: ArchivedMessage) => unknown = (m) => m.parts.map((p) => partJson(tree, p))) {
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
        parts: partsOf(m),
      })),
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
    stats: treeStats(tree),
    forkedFrom: tree.forkedFrom,
    session: session(tree.root),
  };
}

/** Part ids read at once while the JSON is written. */
const READ_PARTS = 500;
/** Text handed on at once: a few writes per hundred KB. */
const PIECE_CHARS = 64 * 1024;

/**
 * The JSON export as text, `JSON.stringify(exportJson(tree), null, 2)`, written a few hundred
 * parts at a time from a tree of stand-ins (stand-ins.ts): `content` reads the whole parts.
 * The text around the parts holds the tree's structure, never its content.
 */
export async function* exportJsonText(tree: ArchivedTree, content: (partIds: string[]) => Promise<ArchivedPart[]>, exportedAt = new Date()): AsyncGenerator<string> {
  // A slot per message's parts that nothing in the tree can spell (agent text cannot know the nonce).
  const nonce = randomUUID();
  const skeleton = JSON.stringify(exportJson(tree, exportedAt, (m) => `\u0000parts:${nonce}:${m.id}`), null, 2);
  const slots = [...skeleton.matchAll(new RegExp(`"\\\\u0000parts:${nonce}:([^"]+)"`, "g"))];
  const messages = new Map(Object.values(tree.sessions).flatMap((s) => s.turns.flatMap((t) => t.messages.map((m) => [m.id, m] as const))));
  const whole = new Map<string, ArchivedPart>();
  let read = 0;
  let text = "";
  let at = 0;
  for (const [i, slot] of slots.entries()) {
    const message = messages.get(slot[1]!)!;
    // Read ahead to this message's parts and those of the next, a batch at a time.
    if (i >= read) {
      whole.clear();
      const ids: string[] = [];
      while (read < slots.length && (ids.length === 0 || ids.length + messages.get(slots[read]![1]!)!.parts.length <= READ_PARTS)) {
        ids.push(...messages.get(slots[read++]![1]!)!.parts.map((p) => p.id));
      }
      for (let from = 0; from < ids.length; from += READ_PARTS) for (const part of await content(ids.slice(from, from + READ_PARTS))) whole.set(part.id, part);
    }
    // A part gone since the stand-ins were read (a revert meanwhile) is left out.
    const parts = message.parts.flatMap((p) => whole.get(p.id) ?? []).map((p) => partJson(tree, p));
    const line = skeleton.lastIndexOf("\n", slot.index) + 1;
    let depth = line;
    while (skeleton[depth] === " ") depth++;
    const indent = skeleton.slice(line, depth);
    text += skeleton.slice(at, slot.index) + JSON.stringify(parts, null, 2).replaceAll("\n", `\n${indent}`);
    at = slot.index + slot[0].length;
    if (text.length >= PIECE_CHARS) yield text, (text = "");
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
