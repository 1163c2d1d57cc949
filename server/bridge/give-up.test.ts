import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ChangeFeed } from "~/server/hub/change-feed";
import { StreamHub } from "~/server/hub/stream-hub";
import type { SessionEvent } from "~/server/stream";
import { describeEachDatabase } from "~/server/testing/database";
import { waitUntil } from "~/server/testing/live";
import { BridgeManager } from "./manager";

// A directory the runner keeps refusing (opencode answers 500 for a file path, say): the bridge
// stops retrying, its busy sessions say why, and the manager no longer lists it.
let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((_, response) => response.writeHead(500).end("Unexpected server error"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describeEachDatabase("a bridge whose directory keeps failing", (database) => {
  it("gives up after capped backoff, marks the directory's busy sessions failed and is forgotten", async () => {
    const db = database.client;
    const runner = await db.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url } });
    const busy = await db.session.create({ data: { opencodeId: `ses_${randomUUID()}`, runnerId: runner.id, directory: "/gone", status: "running" } });
    const idle = await db.session.create({ data: { opencodeId: `ses_${randomUUID()}`, runnerId: runner.id, directory: "/gone", status: "idle" } });
    const errors: string[] = [];
    const log = { info: () => {}, warn: () => {}, error: (line: string) => errors.push(line) };
    const hub = new StreamHub<SessionEvent>({ bufferSize: 10, maxQueue: 10, snapshot: () => Promise.reject(new Error("none")) });
    const bridges = new BridgeManager({ db, hub, changes: new ChangeFeed(), stallMs: 60_000, log, backoff: { initialMs: 10, maxMs: 20, maxAttempts: 3 } });
    try {
      await bridges.ensure({ runnerId: runner.id, endpoint: { url } }, "/gone");
      await waitUntil(async () => bridges.directories(runner.id).length === 0, 5_000, "the bridge to be forgotten");
      await waitUntil(async () => (await db.session.findUniqueOrThrow({ where: { id: busy.id } })).status === "error", 5_000, "the busy session to fail");
      expect((await db.session.findUniqueOrThrow({ where: { id: busy.id } })).statusReason).toBe(
        "The runner stopped answering for this directory: runner events: HTTP 500",
      );
      expect((await db.session.findUniqueOrThrow({ where: { id: idle.id } })).status).toBe("idle");
      expect(errors.filter((line) => line.includes("gave up"))).toHaveLength(1);
    } finally {
      await bridges.closeAll();
    }
  });
});
