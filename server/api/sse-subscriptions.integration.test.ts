import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import superjson from "superjson";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appRouter } from "~/server/api/root";
import { createInnerContext, type InnerContext } from "~/server/api/trpc";
import { treeStream } from "~/server/sessions/tree-stream";
import type { SessionEvent } from "~/server/stream";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";
import { disableMember } from "~/server/auth/team";
import { signedIn, teamMember } from "~/server/testing/team";
import { serveSubscription } from "./sse-subscriptions";

/** One SSE response read as it comes: its records as sent (fields, blank lines included) and its headers. */
function reader(url: string, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  const records: string[] = [];
  let buffer = "";
  const response = fetch(url, { headers, signal: ac.signal });
  const done = response.then(async (res) => {
    const decoder = new TextDecoder();
    try {
      for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(bytes, { stream: true });
        // tRPC ends each record with a blank line and one more line feed.
        for (let end = buffer.indexOf("\n\n\n"); end >= 0; end = buffer.indexOf("\n\n\n")) {
          records.push(buffer.slice(0, end + 3));
          buffer = buffer.slice(end + 3);
        }
      }
    } catch {
      // Aborted by the test.
    }
  });
  const events = () =>
    records
      .filter((r) => r.startsWith("data: "))
      .flatMap((r) => superjson.deserialize(JSON.parse(r.slice(6, r.indexOf("\n")))) as SessionEvent[]);
  return { records, response, events, done, close: () => ac.abort() };
}

const idOf = (record: string) => /\nid: (\d+)\n/.exec(record)?.[1];

describeEachDatabase("subscriptions served in front of Next (sse-subscriptions.ts), through the real runner", (database) => {
  let live: Live;
  let server: http.Server;
  let base: string;
  let admin: InnerContext;
  let viewer: InnerContext;

  beforeAll(async () => {
    live = await startLive(database.client);
    admin = createInnerContext({ caller: await teamMember(live.services.db, "admin"), services: async () => live.services });
    viewer = createInnerContext({ caller: await signedIn(live.services.db, "viewer"), services: async () => live.services });
    // As scripts/serve.mjs: the subscription server first, then what Next would answer (here
    // tRPC's own adapter, also the reference under /reference).
    const reference = createHTTPHandler({ router: appRouter, createContext: () => admin });
    server = http.createServer(async (req, res) => {
      const caller = req.headers["x-test-as"] === "viewer" ? viewer : admin;
      if (!req.url!.startsWith("/reference/") && (await serveSubscription(req, res, async () => caller))) return;
      res.setHeader("x-answered-by", "reference");
      req.url = req.url!.replace(/^(\/reference)?\/api\/trpc/, "");
      reference(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await live?.stop();
  });

  const eventsUrl = (prefix: string, sessionId: string) =>
    `${base}${prefix}/api/trpc/session.events?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ sessionId })))}`;

  it("sends a live session's records byte for byte as tRPC's adapter does, then resumes exactly from an id", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Front door" });
    const fast = reader(eventsUrl("", id));
    const slow = reader(eventsUrl("/reference", id));
    try {
      expect((await fast.response).headers.get("x-answered-by")).toBeNull();
      expect((await fast.response).headers.get("content-type")).toBe("text/event-stream");
      expect((await slow.response).headers.get("x-answered-by")).toBe("reference");
      await waitUntil(() => fast.events().length > 0 && slow.events().length > 0, 10_000, "both snapshots");
      expect(fast.records[0]).toBe("event: connected\ndata: {}\n\n\n");
      expect(fast.records[0]).toBe(slow.records[0]);

      await live.api.session.prompt({ sessionId: id, text: "Say something long. demo:long=300" });
      await waitForIdleTree(live.services, id);
      await live.services.bridges.find(live.runnerId, live.directory)!.settle();
      const last = () => idOf(slow.records.at(-1)!);
      await waitUntil(() => slow.records.length > 3 && idOf(fast.records.at(-1)!) === last(), 10_000, "both streams at the same last record");

      // After each one's snapshot, the same records: ids, chunks and encoding.
      const afterSnapshot = (records: string[]) => records.slice(records.findIndex((r) => r.includes('"kind":"snapshot"')) + 1);
      expect(afterSnapshot(fast.records).length).toBeGreaterThan(2);
      expect(afterSnapshot(fast.records)).toEqual(afterSnapshot(slow.records));
      const text = fast.events().filter((e) => e.kind === "part.delta").map((e) => (e as { delta: string }).delta).join("");
      expect(text).toContain("300");

      // A client resuming from an id (EventSource sends Last-Event-ID) gets exactly what came after it.
      const ids = afterSnapshot(fast.records).map(idOf).filter(Boolean) as string[];
      const from = Number(ids[Math.floor(ids.length / 2)]);
      const resumed = reader(eventsUrl("", id), { "last-event-id": String(from) });
      try {
        await waitUntil(() => idOf(resumed.records.at(-1) ?? "") === last(), 10_000, "the resumed stream caught up");
        expect(resumed.events().map((e) => e.seq)).toEqual(fast.events().filter((e) => e.seq > from).map((e) => e.seq));
        expect(resumed.events()).toEqual(fast.events().filter((e) => e.seq > from));
      } finally {
        resumed.close();
      }
    } finally {
      fast.close();
      slow.close();
    }
  }, 90_000);

  it("lets the viewer go when its connection closes", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Leaving" });
    const key = (await treeStream(live.services, id))!;
    const viewer = reader(eventsUrl("", id));
    await waitUntil(() => viewer.events().length > 0, 10_000, "the snapshot");
    expect(live.services.hub.subscriberCount(key)).toBe(1);
    viewer.close();
    await waitUntil(() => live.services.hub.subscriberCount(key) === 0, 5_000, "the hub forgetting the viewer");
  }, 30_000);

  it("ends a member's open stream once an admin disables them, as their next request would be refused", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Disabled reader" });
    const key = (await treeStream(live.services, id))!;
    const stream = reader(eventsUrl("", id), { "x-test-as": "viewer" });
    try {
      await waitUntil(() => stream.events().length > 0, 10_000, "the snapshot");
      await disableMember(live.services.db, { userId: (viewer.caller as { userId: string }).userId });
      await waitUntil(() => stream.records.some((r) => r.startsWith("event: serialized-error")), 10_000, "the stream's end");
      expect(stream.records.find((r) => r.startsWith("event: serialized-error"))).toContain("UNAUTHORIZED");
      await waitUntil(() => live.services.hub.subscriberCount(key) === 0, 5_000, "the hub forgetting the viewer");
      // Nothing the tree does afterwards reaches the disabled account.
      const seen = stream.events().length;
      await live.api.session.prompt({ sessionId: id, text: "After the door closed. demo:text" });
      await waitForIdleTree(live.services, id);
      expect(stream.events().length).toBe(seen);
    } finally {
      stream.close();
    }
  }, 60_000);

  it("declines, writing nothing, what Next's route must answer: an unknown session, a query, a foreign host", async () => {
    const unknown = reader(eventsUrl("", randomUUID()));
    const answered = await unknown.response;
    await waitUntil(() => unknown.records.some((r) => r.startsWith("event: serialized-error")), 10_000, "the error record");
    unknown.close();
    expect(answered.headers.get("x-answered-by")).toBe("reference");
    expect(unknown.records.find((r) => r.startsWith("event: serialized-error"))).toContain("NOT_FOUND");

    const query = await fetch(`${base}/api/trpc/account.me`);
    expect(query.headers.get("x-answered-by")).toBe("reference");

    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Host" });
    const foreign = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(eventsUrl("", id), { headers: { host: "evil.example" } }, (res) => {
        resolve(res);
        res.destroy();
      }),
    );
    expect(foreign.headers["x-answered-by"]).toBe("reference");
  }, 30_000);
});
