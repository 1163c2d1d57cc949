import { describe, expect, it } from "vitest";
import type { ArchivedMessage, ArchivedSession, ArchivedTurn } from "~/server/archive/read";
import { ABORTED_ERROR } from "~/server/stream/error-text";
import { turnItems, type ConversationItem } from "./tree-conversation";

const at = (ms: number) => new Date(1_800_000_000_000 + ms);

function message(id: string, role: "user" | "assistant", createdMs: number, extra: Partial<ArchivedMessage> = {}): ArchivedMessage {
  return {
    id: `row-${id}`,
    opencodeId: id,
    role,
    agent: null,
    providerId: null,
    modelId: null,
    usage: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
    cost: 0,
    error: null,
    createdAt: at(createdMs),
    completedAt: role === "assistant" ? at(createdMs + 1) : null,
    parts: [{ id: `row-prt-${id}`, opencodeId: `prt_${id}`, type: "text", text: `text of ${id}`, data: {}, startedAt: null, endedAt: null, tool: null }],
    ...extra,
  };
}

function turn(index: number, messages: ArchivedMessage[]): ArchivedTurn {
  return { id: `turn-${index}`, index, userMessageId: messages[0]!.opencodeId, status: "completed", error: null, revertedAt: null, startedAt: at(index * 100), endedAt: null, messages };
}

// Turn 2 aborted; turn 3's prompt was sent before the abort and never answered (dropped).
const turns = [
  turn(1, [message("msg_1u", "user", 100), message("msg_1a", "assistant", 110)]),
  turn(2, [message("msg_2u", "user", 200), message("msg_2a", "assistant", 210, { error: { name: ABORTED_ERROR, message: "aborted" }, completedAt: at(400) })]),
  turn(3, [message("msg_3u", "user", 300)]),
  turn(4, [message("msg_4u", "user", 500), message("msg_4a", "assistant", 510)]),
];
const session = { id: "row-root", opencodeId: "ses_root", status: "idle", turns, answers: [], children: [] } as unknown as ArchivedSession;

const prompts = (items: ConversationItem[]) =>
  items.flatMap((item) => (item.kind === "rows" ? item.rows.flatMap((row) => (row.kind === "prompt" ? [{ turn: row.turnIndex, unanswered: row.unanswered }] : [])) : []));

describe("turnItems over a window of turns", () => {
  it("reads the turn before the window for how it ended, and leaves its rows out", () => {
    const whole = turnItems(session, turns, true);
    expect(prompts(whole)).toEqual([{ turn: 1 }, { turn: 2 }, { turn: 3, unanswered: "dropped" }, { turn: 4 }].map((p) => ({ unanswered: undefined, ...p })));
    // The window of turns 3 and 4, read with turn 2's messages (not its parts, as the export
    // reads it): the same items as the whole session gives.
    const bare = { ...turns[1]!, messages: turns[1]!.messages.map((m) => ({ ...m, parts: [] })) };
    const window = turnItems(session, turns.slice(2), true, Number.POSITIVE_INFINITY, bare);
    expect(window).toEqual(whole.slice(2));
    // Without it, the prompt dropped by turn 2's abort would read as an ordinary one.
    expect(prompts(turnItems(session, turns.slice(2), true))[0]).toEqual({ turn: 3, unanswered: undefined });
  });
});
