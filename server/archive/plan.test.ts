import { describe, expect, it } from "vitest";
import type { SeedInput } from "~/server/stream";
import { planTreeSync, turnOutcomes } from "./plan";
import { parentsFirst, type SourceSession } from "./source";
import { sourceTreeFromRows, subagentRunRows, SUBAGENT_RUN_ROOT } from "./testing";
import { RawMessageWithParts } from "~/server/stream/raw-event";

const sourceTree = () => sourceTreeFromRows(subagentRunRows(), SUBAGENT_RUN_ROOT);

/** What the archive would hold after writing `plan`'s tree, shaped as loadSeed returns it. */
function seedFrom(source: ReturnType<typeof sourceTree>): SeedInput {
  const tree = structuredClone(source);
  return {
    sessions: tree.sessions.map((s) => {
      let index = 0;
      const messages = s.messages as { info: { id: string; role: string } }[];
      return {
        id: s.info.id,
        parentId: s.info.parentID ?? null,
        turns: messages.filter((m) => m.info.role === "user").map((m) => ({ userMessageId: m.info.id, index: ++index })),
        messages,
      };
    }),
  };
}

describe("planTreeSync", () => {
  it("plans the whole tree of a real run from nothing: sessions, turns, messages, parts, in order", () => {
    const plan = planTreeSync(sourceTree());
    expect(plan.rejected).toEqual([]);
    const kinds = plan.events.map((e) => e.kind);
    expect(kinds.filter((k) => k === "session.upserted")).toHaveLength(3);
    expect(kinds.filter((k) => k === "turn.started")).toHaveLength(3);
    expect(kinds.filter((k) => k === "message.upserted")).toHaveLength(9);
    expect(kinds.filter((k) => k === "part.upserted")).toHaveLength(24);
    // Every event belongs to the one tree, and a session's info comes before its content.
    expect(new Set(plan.events.map((e) => e.rootSessionId))).toEqual(new Set([SUBAGENT_RUN_ROOT]));
    const firstUpsert = new Map<string, number>();
    plan.events.forEach((e, i) => e.kind === "session.upserted" && !firstUpsert.has(e.sessionId) && firstUpsert.set(e.sessionId, i));
    plan.events.forEach((e, i) => expect(i).toBeGreaterThanOrEqual(firstUpsert.get(e.sessionId)!));
    // The task tool parts carry the link to the sub-agent they spawned.
    const links = plan.events.flatMap((e) => (e.kind === "part.upserted" && e.part.tool?.childSessionId ? [e.part.tool.childSessionId] : []));
    expect(links).toHaveLength(2);
    expect(plan.sessions.map((s) => s.parentId)).toEqual([null, SUBAGENT_RUN_ROOT, plan.sessions[1]!.opencodeId]);
  });

  it("is idempotent: against an archive that already holds the tree it plans no content", () => {
    const tree = sourceTree();
    const plan = planTreeSync(tree, seedFrom(tree));
    expect(plan.rejected).toEqual([]);
    expect(plan.events.map((e) => e.kind)).toEqual(["session.upserted", "session.upserted", "session.upserted"]);
    expect(plan.sessions.every((s) => s.removedTurns.length === 0)).toBe(true);
  });

  it("plans only what changed, and removals for what the source no longer lists", () => {
    const tree = sourceTree();
    const seed = seedFrom(tree);
    type Entry = { info: { id: string; role: string; parentID?: string }; parts: { id: string; type: string; text?: string }[] };
    // A sub-agent's answer changed...
    const child = tree.sessions[1]!;
    const edited = (child.messages as Entry[]).at(-1)!.parts.find((p) => p.type === "text")!;
    edited.text = `${edited.text} (edited)`;
    // ...and the root's only turn (prompt and both answers) is gone.
    const root = tree.sessions[0]!;
    const removed = (root.messages as Entry[]).map((m) => m.info.id);
    root.messages = [];
    const plan = planTreeSync(tree, seed);
    expect(plan.rejected).toEqual([]);
    const content = plan.events.filter((e) => e.kind !== "session.upserted");
    expect(content.filter((e) => e.kind === "message.removed").map((e) => e.kind === "message.removed" && e.messageId)).toEqual(removed);
    expect(content.filter((e) => e.kind === "part.upserted").map((e) => e.kind === "part.upserted" && e.part.id)).toEqual([edited.id]);
    expect(content).toHaveLength(removed.length + 1);
    expect(plan.sessions[0]!.removedTurns).toEqual([removed[0]]);
  });

  it("keeps archived turn indexes and numbers new turns after them", () => {
    const tree = sourceTree();
    const seed = seedFrom(tree);
    seed.sessions[0]!.turns = [{ userMessageId: (tree.sessions[0]!.messages[0] as { info: { id: string } }).info.id, index: 4 }];
    seed.sessions[0]!.messages = [];
    const extra = structuredClone(tree.sessions[0]!.messages[0]) as { info: { id: string; time: { created: number } }; parts: { id: string; messageID: string }[] };
    extra.info.id = "msg_zzzzzzzzzzzzzzzzzzzzzzzzzz";
    extra.info.time.created += 60_000;
    extra.parts = extra.parts.map((p) => ({ ...p, id: `${p.id}z`, messageID: extra.info.id }));
    tree.sessions[0]!.messages.push(extra);
    const plan = planTreeSync(tree, seed);
    const started = plan.events.flatMap((e) => (e.kind === "turn.started" && e.sessionId === SUBAGENT_RUN_ROOT ? [e.turn] : []));
    expect(started).toEqual([expect.objectContaining({ userMessageId: extra.info.id, index: 5 })]);
  });

  it("derives session status and how turns ended from the source", () => {
    const tree = sourceTree();
    tree.sessions[1]!.status = { type: "busy" };
    const plan = planTreeSync(tree);
    expect(plan.sessions.map((s) => [s.status, s.busy])).toEqual([["idle", false], ["running", true], ["idle", false]]);
    expect(plan.sessions[0]!.turns[0]!.ended).toMatchObject({ status: "completed", error: null });
    expect(plan.sessions[1]!.turns[0]!.ended).toBeUndefined();
    expect(plan.sessions[0]!.lastActivityAt).toBe(1795425127282);
  });
});

describe("turnOutcomes", () => {
  const parse = (entries: unknown[]) => entries.map((e) => RawMessageWithParts.parse(e));
  const user = (id: string, created: number) => ({ info: { id, sessionID: "ses_a", role: "user", time: { created } }, parts: [] });
  const answer = (id: string, parentID: string, created: number, extra: object = {}) => ({
    info: { id, sessionID: "ses_a", role: "assistant", parentID, time: { created, completed: created + 5 }, ...extra },
    parts: [],
  });

  it("marks aborted and failed turns and ends a turn at its last answer", () => {
    const outcomes = turnOutcomes(
      parse([
        user("msg_1", 1),
        answer("msg_2", "msg_1", 2),
        answer("msg_3", "msg_1", 10),
        user("msg_4", 20),
        answer("msg_5", "msg_4", 21, { error: { name: "MessageAbortedError", data: { message: "Aborted" } } }),
        user("msg_6", 30),
        answer("msg_7", "msg_6", 31, { error: { name: "APIError", data: { message: "boom" } } }),
        user("msg_8", 40),
      ]),
      true,
    );
    expect(outcomes).toEqual([
      { userMessageId: "msg_1", startedAt: 1, ended: { status: "completed", error: null, endedAt: 15 } },
      { userMessageId: "msg_4", startedAt: 20, ended: { status: "aborted", error: "Aborted", endedAt: 26 } },
      { userMessageId: "msg_6", startedAt: 30, ended: { status: "error", error: "The model's API returned an error: boom", endedAt: 36 } },
      { userMessageId: "msg_8", startedAt: 40, ended: { status: "completed", error: null, endedAt: 40 } },
    ]);
  });
});

describe("parentsFirst", () => {
  const s = (id: string, parentID?: string): SourceSession => ({ info: { id, parentID }, messages: [], status: { type: "idle" } });
  it("orders a tree breadth-first from its root and drops other trees", () => {
    const ordered = parentsFirst("a", [s("d", "c"), s("c", "a"), s("x"), s("b", "a"), s("a"), s("y", "x")]);
    expect(ordered.map((o) => o.info.id)).toEqual(["a", "b", "c", "d"]);
  });
});
