/**
 * How the bench talks to the app and to opencode: tRPC over HTTP (mutations as POST, the
 * `session.events` subscription as SSE, superjson-encoded like the browser's client), and
 * opencode's own /event SSE with the runner's basic auth. Each stream reports the text deltas
 * of one session with the time they arrived, so both paths can be compared per character.
 */
import superjson from "superjson";
import { SseDecoder } from "~/server/bridge/sse-lines";
import { basicAuth, type RunnerEndpoint } from "~/server/runtime/health";
import type { SessionEvent } from "~/server/stream";
import { assistantText } from "~/server/testing/assistant-text";

export async function trpcMutation<T>(base: string, procedure: string, input: unknown): Promise<T> {
  const res = await fetch(`${base}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(superjson.serialize(input)),
  });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${procedure} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

/** Text arrival on one stream: cumulative characters of the session's text and when. */
export type Arrivals = { chars: number[]; at: number[]; total: number; snapshots: number; opened: Promise<void> };

function newArrivals(): Arrivals & { open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { chars: [], at: [], total: 0, snapshots: 0, opened, open };
}

function record(arrivals: Arrivals, delta: string) {
  arrivals.total += delta.length;
  arrivals.chars.push(arrivals.total);
  arrivals.at.push(performance.now());
}

async function readSse(res: Response, onData: (data: string) => void, signal: AbortSignal): Promise<void> {
  const decoder = new SseDecoder();
  const text = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (const data of decoder.push(text.decode(chunk, { stream: true }))) onData(data);
    }
  } catch {
    // Ended by the bench (abort) or by the app going away: what arrived is what counts.
  }
}

/** A viewer of the session through Flightdeck's tRPC subscription. */
export function viewSession(base: string, session: { id: string; opencodeId: string }, signal: AbortSignal): Arrivals & { done: Promise<void> } {
  const sessionId = session.id;
  const arrivals = newArrivals();
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ sessionId, lastEventId: null })));
  const done = fetch(`${base}/api/trpc/session.events?input=${input}`, { headers: { accept: "text/event-stream" }, signal }).then(
    async (res) => {
      await readSse(
        res,
        (data) => {
          // Connected once the first record (tRPC's snapshot of the session) has arrived.
          arrivals.open();
          // Each record is a chunk of events (superjson). Only text deltas and snapshots count.
          if (data.includes('"kind":"snapshot"')) {
            for (const event of superjson.deserialize(JSON.parse(data)) as SessionEvent[]) {
              if (event.kind === "snapshot") {
                // Too far behind (or just subscribed): the materialized tree replaces the deltas.
                const text = assistantText(event.state, session.opencodeId);
                if (text.length > arrivals.total) record(arrivals, text.slice(arrivals.total));
                arrivals.snapshots++;
              } else if (event.kind === "part.delta" && event.field === "text") record(arrivals, event.delta);
            }
            return;
          }
          if (!data.includes('"part.delta"')) return;
          for (const event of (JSON.parse(data) as { json: { kind: string; field: string; delta: string }[] }).json) {
            if (event.kind === "part.delta" && event.field === "text") record(arrivals, event.delta);
          }
        },
        signal,
      );
    },
    () => {
      // Could not connect: the stream stays unopened and its run reports that.
    },
  );
  return Object.assign(arrivals, { done });
}

/** The baseline: opencode's own /event stream, filtered to one session's text deltas. */
export function followRunner(endpoint: RunnerEndpoint, directory: string, opencodeId: string, signal: AbortSignal): Arrivals & { done: Promise<void> } {
  const arrivals = newArrivals();
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (endpoint.credentials) headers.authorization = basicAuth(endpoint.credentials);
  const done = fetch(`${endpoint.url}/event?directory=${encodeURIComponent(directory)}`, { headers, signal }).then(
    async (res) => {
      await readSse(
        res,
        (data) => {
          arrivals.open(); // opencode's first record is server.connected
          if (!data.includes(opencodeId) || !data.includes("message.part.delta")) return;
          const event = JSON.parse(data) as { type: string; properties: { sessionID: string; field: string; delta: string } };
          if (event.type === "message.part.delta" && event.properties.sessionID === opencodeId && event.properties.field === "text") {
            record(arrivals, event.properties.delta);
          }
        },
        signal,
      );
    },
    () => {
      // Could not connect: the stream stays unopened and its run reports that.
    },
  );
  return Object.assign(arrivals, { done });
}
