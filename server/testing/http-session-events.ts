import { EventSourceParserStream } from "eventsource-parser/stream";
import superjson from "superjson";
import type { SessionEvent } from "~/server/stream";
import type { ChunkSource } from "./stream-viewer";

/**
 * `session.events` over HTTP/SSE, as the browser's client sends and decodes it: the input as
 * superjson in `?input=`, each data record a superjson chunk of events with its SSE id. tRPC's
 * own named records (connected, ping) carry no events; `serialized-error` fails the
 * subscription. `headers` carry the credentials (a session cookie).
 *
 * The body is read only as fast as the consumer pulls messages, so a consumer that stops
 * pulling leaves the rest in the connection, and TCP pushes back on the server.
 */
export function httpSessionChunks(baseUrl: string, sessionId: string, headers: Record<string, string> = {}): ChunkSource {
  return async function* (lastEventId, signal) {
    const input = encodeURIComponent(superjson.stringify({ sessionId, lastEventId }));
    const response = await fetch(new URL(`/api/trpc/session.events?input=${input}`, baseUrl), {
      headers: { ...headers, accept: "text/event-stream" },
      signal,
    });
    if (!response.ok || !response.body) throw new Error(`session.events answered ${response.status}: ${await response.text()}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        const record = next.value;
        if (record.event === "serialized-error") throw new Error(`session.events failed: ${record.data}`);
        if (record.event || record.id === undefined) continue;
        yield { id: record.id, data: superjson.deserialize(JSON.parse(record.data)) as SessionEvent[] };
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  };
}
