import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { followRunnerEvents } from "./runner-events";

// A runner that refuses a directory (opencode answers 500 for a file path, say): the bridge
// retries with backoff a bounded number of times, then stops and says so once.
let server: http.Server;
let url: string;
let requests = 0;

beforeAll(async () => {
  server = http.createServer((_, response) => {
    requests++;
    response.writeHead(500).end("no such directory");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("gives up after maxAttempts failed connections in a row, with capped backoff between them", async () => {
  const disconnects: number[] = [];
  const gaveUp: unknown[] = [];
  const started = Date.now();
  await followRunnerEvents({
    endpoint: { url },
    directory: "/not/a/dir",
    signal: new AbortController().signal,
    onEvent: () => {},
    onConnected: () => {},
    onDisconnected: () => disconnects.push(Date.now() - started),
    onGaveUp: (error) => gaveUp.push(error),
    backoff: { initialMs: 20, maxMs: 40, maxAttempts: 5 },
  });
  expect(requests).toBe(5);
  expect(disconnects).toHaveLength(4);
  expect(gaveUp).toHaveLength(1);
  expect(String(gaveUp[0])).toContain("HTTP 500");
  // 20 + 40 + 40 + 40 ms of backoff: doubling, then capped.
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
});
