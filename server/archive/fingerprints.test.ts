import { describe, expect, it } from "vitest";
import { messageFingerprint, selectMessages, treeKey, type StoredMessage } from "./fingerprints";
import { syntheticTree } from "./testing";

type Entry = { info: { id: string }; parts: { id: string }[] };

const tree = () => syntheticTree(3, 4);
const verifiedAt = new Date(1_800_000_000_000);

/** What a sync that verified every message of `snapshot` stored. */
function storedFor(snapshot: ReturnType<typeof tree>): Map<string, StoredMessage> {
  const session = snapshot.sessions[0]!;
  return new Map(
    (session.messages as Entry[]).map((m) => [
      treeKey(session.info.id, m.info.id),
      { fingerprint: messageFingerprint(m), verifiedAt, parts: m.parts.length, lastPartWrite: new Date(verifiedAt.getTime() - 1) },
    ]),
  );
}

describe("selectMessages", () => {
  it("plans every message of a tree the archive does not hold, and stores all their fingerprints", () => {
    const snapshot = tree();
    const selection = selectMessages(new Map(), snapshot);
    expect(selection.verified.size).toBe(0);
    expect(selection.planned).toHaveLength(9);
    expect(selection.fingerprints.size).toBe(9);
  });

  it("trusts a message the runner answers with its keys in another order (a limited read does)", () => {
    const snapshot = tree();
    const stored = storedFor(snapshot);
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]))
          : value;
    snapshot.sessions[0]!.messages = snapshot.sessions[0]!.messages.map(reversed);
    expect(selectMessages(stored, snapshot)).toMatchObject({ planned: [] });
  });

  it("trusts only messages unchanged on both sides: fingerprint, part count, no part written since", () => {
    const snapshot = tree();
    const stored = storedFor(snapshot);
    const root = snapshot.root;
    const messages = snapshot.sessions[0]!.messages as Entry[];
    const [edited, partLost, rewritten, removed] = [messages[1]!, messages[2]!, messages[4]!, messages[7]!];
    (edited.parts[1] as { state?: unknown }).state = { status: "completed", output: "changed on the runner" };
    stored.get(treeKey(root, partLost.info.id))!.parts -= 1;
    stored.get(treeKey(root, rewritten.info.id))!.lastPartWrite = verifiedAt;
    snapshot.sessions[0]!.messages = messages.filter((m) => m !== removed);
    const added = { info: { id: "msg_zzz_new" }, parts: [] };
    snapshot.sessions[0]!.messages.push(added);

    const selection = selectMessages(stored, snapshot);
    const changed = [edited, partLost, rewritten, added].map((m) => m.info.id);
    expect(selection.planned?.sort()).toEqual([...changed, removed.info.id].sort());
    expect([...selection.fingerprints.keys()].sort()).toEqual(changed.map((id) => treeKey(root, id)).sort());
    expect(selection.verified.size).toBe(messages.length - 4);
    expect(selection.verified.has(treeKey(root, edited.info.id))).toBe(false);
  });

  it("trusts nothing in a busy session, and stores no fingerprint for it", () => {
    const snapshot = tree();
    const stored = storedFor(snapshot);
    snapshot.sessions[0]!.status = { type: "busy" };
    const selection = selectMessages(stored, snapshot);
    expect(selection.verified.size).toBe(0);
    expect(selection.planned).toHaveLength(9);
    expect(selection.fingerprints.size).toBe(0);
  });

  it("plans the whole tree when too much changed to list", () => {
    const snapshot = syntheticTree(200, 1);
    const stored = storedFor(snapshot);
    for (const value of stored.values()) value.fingerprint = "stale";
    const selection = selectMessages(stored, snapshot);
    expect(selection.planned).toBeUndefined();
    expect(selection.verified.size).toBe(0);
    expect(selection.fingerprints.size).toBe(600);
  });
});
