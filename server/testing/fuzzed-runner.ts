import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Prng } from "~/server/stream/fixtures/prng";
import { runnerGarbage } from "~/server/stream/fixtures/runner-garbage";
import { sampleEvents } from "~/server/stream/fixtures/sample-stream";

/** The recorded sub-agent run (fixtures/sample-stream), one SSE `data:` per event. */
export const sampleRecords = sampleEvents().map((event) => JSON.stringify(event));

/** The recorded run with `garbage` malformed events (fixtures/runner-garbage, up to `hugeChars` long) spread evenly before its events. */
export function fuzzedRecords(random: Prng, garbage: number, hugeChars: number): string[] {
  const records: string[] = [];
  for (const event of sampleRecords) {
    for (let i = 0; i < garbage / sampleRecords.length; i++) records.push(runnerGarbage(random, sampleRecords, { hugeChars }));
    records.push(event);
  }
  return records;
}

export type FakeRunner = { url: string; close: () => Promise<void> };

/** A fake remote runner whose /event stream is `records`, all at once (anything else: 404). */
export async function fakeRunner(records: readonly string[]): Promise<FakeRunner> {
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith("/event")) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const record of records) res.write(`data: ${record}\n\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
