/**
 * How the bench talks to the app and to opencode: tRPC over HTTP (queries as GET, mutations as
 * POST, the `session.events` subscription as SSE, superjson-encoded like the browser's client,
 * with the signed-in admin's cookie), and opencode's own /event SSE with the runner's basic
 * auth. Each stream reports the text deltas of one session with the time they arrived, so both
 * paths can be compared per character.
 */
import { setImmediate as yieldToIo } from "node:timers/promises";
import superjson from "superjson";
import { SseDecoder } from "~/server/bridge/sse-lines";
import { basicAuth, type RunnerEndpoint } from "~/server/runtime/health";
import type { SessionEvent, SnapshotState } from "~/server/stream";

/** The app as a signed-in browser reaches it: its origin and the session cookie. */
export type AppClient = { base: string; cookie: string };

const encodeInput = (input: unknown) => encodeURIComponent(JSON.stringify(superjson.serialize(input)));

// Mutations carry no Origin: the app's proxy lets those through (a browser's would be its own).
async function trpcCall<T>(app: AppClient, procedure: string, request: { query: unknown } | { body: unknown }): Promise<T> {
  const query = "query" in request ? `?input=${encodeInput(request.query)}` : "";
  const post = "body" in request ? { method: "POST", body: JSON.stringify(superjson.serialize(request.body)) } : {};
  const send = () =>
    fetch(`${app.base}/api/trpc/${procedure}${query}`, {
      ...post,
      headers: { "content-type": "application/json", cookie: app.cookie },
      // A saturated app answers nothing: every call gives up after a while instead of hanging.
      signal: AbortSignal.timeout(90_000),
    });
  // A kept-alive connection the app closed as this request went out (its idle timer fires late
  // when its event loop was busy): a query is sent again once, as browsers do; a mutation is not.
  const res = await send().catch((error: unknown) => {
    if ("query" in request && error instanceof TypeError) return send();
    throw error;
  });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${procedure} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

export function trpcMutation<T>(app: AppClient, procedure: string, input: unknown): Promise<T> {
  return trpcCall(app, procedure, { body: input });
}

/** A query's result as JSON (superjson's extra types, such as dates, are left as strings). */
export function trpcQuery<T>(app: AppClient, procedure: string, input: unknown): Promise<T> {
  return trpcCall(app, procedure, { query: input });
}

/** Text arrival on one stream: cumulative characters of the session's text and when. */
/** `records`: SSE records received (a viewer's messages; each costs the app a write however small). */
export type Arrivals = { chars: number[]; at: number[]; total: number; snapshots: number; records: number; opened: Promise<void> };

function newArrivals(): Arrivals & { open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { chars: [], at: [], total: 0, snapshots: 0, records: 0, opened, open };
}

function record(arrivals: Arrivals, chars: number, at: number) {
  arrivals.total += chars;
  arrivals.chars.push(arrivals.total);
  arrivals.at.push(at);
}

/**
 * The session's assistant text as a browser assembles it, counted per part: deltas, and what an
 * upsert or a snapshot holds beyond them (an owner that took over mid-turn reconciles a part
 * from the runner and sends it whole). Only growth is recorded, when it arrives.
 */
function textTally(arrivals: Arrivals, opencodeId: string) {
  const partChars = new Map<string, number>();
  const assistant = new Set<string>();
  let at = 0;
  const grow = (partId: string, length: number) => {
    const had = partChars.get(partId) ?? 0;
    if (length <= had) return;
    partChars.set(partId, length);
    record(arrivals, length - had, at);
  };
  return (event: SessionEvent, arrivedAt: number) => {
    at = arrivedAt;
    if (event.kind === "snapshot") {
      arrivals.snapshots++;
      const view = event.state.sessions[opencodeId];
      for (const part of Object.values(view?.parts ?? {})) {
        if (part.type === "text" && view?.messages[part.messageId]?.role === "assistant") grow(part.id, part.text?.length ?? 0);
      }
    } else if (event.sessionId !== opencodeId) return;
    else if (event.kind === "message.upserted" && event.message.role === "assistant") assistant.add(event.message.id);
    else if (event.kind === "part.upserted" && event.part.type === "text" && assistant.has(event.messageId)) grow(event.part.id, event.part.text?.length ?? 0);
    else if (event.kind === "part.delta" && event.field === "text") grow(event.partId, (partChars.get(event.partId) ?? 0) + event.delta.length);
  };
}

/**
 * Calls `onData` with each record's data and when the bytes that completed it were read: every
 * record of one read gets that read's time, so the time spent decoding the ones before it (a
 * read of the runner's stream can hold a thousand) does not count as lateness.
 */
async function readSse(res: Response, onData: (data: string, at: number) => void, signal: AbortSignal): Promise<void> {
  const decode = sseDecoder(onData);
  await readTimed(res, decode);
}

/** Decodes reads of an SSE stream, each with when it arrived, into records (see readSse). */
function sseDecoder(onData: (data: string, at: number) => void): (bytes: Uint8Array, at: number) => void {
  const decoder = new SseDecoder();
  const text = new TextDecoder();
  return (bytes, at) => {
    for (const data of decoder.push(text.decode(bytes, { stream: true }))) onData(data, at);
  };
}

/** Each read of the response's body, with when it arrived, until it ends or is aborted. */
async function readTimed(res: Response, onRead: (bytes: Uint8Array, at: number) => void): Promise<void> {
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      onRead(chunk, performance.now());
      // A stream's buffered chunks are read in promise callbacks alone: without a turn of the
      // event loop per chunk, a fast runner stream (the baseline) kept this process from reading
      // the viewers' streams until it ended, and their records were timed late.
      await yieldToIo();
    }
  } catch {
    // Ended by the bench (abort) or by the app going away: what arrived is what counts.
  }
}

function subscribeEvents(app: AppClient, sessionId: string, signal: AbortSignal): Promise<Response> {
  const input = encodeInput({ sessionId, lastEventId: null });
  return fetch(`${app.base}/api/trpc/session.events?input=${input}`, { headers: { accept: "text/event-stream", cookie: app.cookie }, signal });
}

const TEXT_KINDS = ['"part.delta"', '"part.upserted"', '"message.upserted"'];

/** A viewer of the session through Flightdeck's tRPC subscription. */
export function viewSession(app: AppClient, session: { id: string; opencodeId: string }, signal: AbortSignal): Arrivals & { done: Promise<void> } {
  const arrivals = newArrivals();
  const tally = textTally(arrivals, session.opencodeId);
  const done = subscribeEvents(app, session.id, signal).then(
    async (res) => {
      await readSse(
        res,
        (data, at) => {
          arrivals.records++;
          // Each record is a chunk of events (superjson); most are text deltas, parsed as plain JSON.
          if (data.includes('"kind":"snapshot"')) {
            for (const event of superjson.deserialize(JSON.parse(data)) as SessionEvent[]) tally(event, at);
            // Open once the session's snapshot is in (tRPC's own "connected" record comes before).
            arrivals.open();
          } else if (TEXT_KINDS.some((kind) => data.includes(kind))) {
            for (const event of (JSON.parse(data) as { json: SessionEvent[] }).json) tally(event, at);
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

/**
 * A viewer of the session that keeps only when each record arrived and its size: how one huge
 * event reaches it, whatever the app made of it (deltas, a whole part, a snapshot).
 */
export function watchRecords(app: AppClient, sessionId: string, signal: AbortSignal) {
  const records: { at: number; bytes: number }[] = [];
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const done = subscribeEvents(app, sessionId, signal).then(
    (res) =>
      readSse(
        res,
        (data, at) => {
          records.push({ at, bytes: data.length });
          if (data.includes('"kind":"snapshot"')) open();
        },
        signal,
      ),
    () => {
      // Could not connect: the stream stays unopened and its run reports that.
    },
  );
  return { records, opened, done };
}

/**
 * What a new viewer of the session gets first, through the app: the time from the request to
 * the last byte of the snapshot record, its size, and the parts of the tree (held, or counted
 * before a window).
 */
export async function firstSnapshot(app: AppClient, sessionId: string): Promise<{ ms: number; bytes: number; parts: number }> {
  const ac = new AbortController();
  const started = performance.now();
  let found: { ms: number; bytes: number; parts: number } | undefined;
  await readSse(
    await subscribeEvents(app, sessionId, ac.signal),
    (data, at) => {
      if (found || !data.includes('"kind":"snapshot"')) return;
      const ms = at - started;
      const snapshot = (superjson.deserialize(JSON.parse(data)) as SessionEvent[]).find((e) => e.kind === "snapshot");
      const state = (snapshot as { state: SnapshotState }).state;
      // The tree's parts: those a windowed snapshot holds and those it counts before its window.
      const parts = Object.values(state.sessions).reduce((n, view) => n + Object.keys(view.parts).length + (view.window?.older ?? 0), 0);
      found = { ms, bytes: Buffer.byteLength(data), parts };
      ac.abort();
    },
    ac.signal,
  );
  if (!found) throw new Error(`session.events of ${sessionId} ended without a snapshot`);
  return found;
}

/** opencode's own /event stream of the directory: `onData` gets each record's data as it arrives. */
function readRunnerEvents(endpoint: RunnerEndpoint, directory: string, signal: AbortSignal, onData: (data: string, at: number) => void): Promise<void> {
  return readRunnerStream(endpoint, directory, signal, sseDecoder(onData));
}

function readRunnerStream(endpoint: RunnerEndpoint, directory: string, signal: AbortSignal, onRead: (bytes: Uint8Array, at: number) => void): Promise<void> {
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (endpoint.credentials) headers.authorization = basicAuth(endpoint.credentials);
  return fetch(`${endpoint.url}/event?directory=${encodeURIComponent(directory)}`, { headers, signal }).then(
    (res) => readTimed(res, onRead),
    () => {
      // Could not connect: the stream stays unopened and its run reports that.
    },
  );
}

/** Records each text delta of the sessions' (by opencode id) into their arrivals. */
function runnerTextTally(bySession: Map<string, Arrivals>): (data: string, at: number) => void {
  return (data, at) => {
    if (!data.includes("message.part.delta")) return;
    const event = JSON.parse(data) as { type: string; properties: { sessionID: string; field: string; delta: string } };
    const arrivals = bySession.get(event.properties.sessionID);
    if (arrivals && event.type === "message.part.delta" && event.properties.field === "text") record(arrivals, event.properties.delta.length, at);
  };
}

/** The baseline: opencode's own /event stream, filtered to one session's text deltas. */
export function followRunner(endpoint: RunnerEndpoint, directory: string, opencodeId: string, signal: AbortSignal): Arrivals & { done: Promise<void> } {
  const arrivals = newArrivals();
  const tally = runnerTextTally(new Map([[opencodeId, arrivals]]));
  const done = readRunnerEvents(endpoint, directory, signal, (data, at) => {
    arrivals.open(); // opencode's first record is server.connected
    tally(data, at);
  });
  return Object.assign(arrivals, { done });
}

/**
 * The baseline of several sessions of one directory, for latency: ONE reading of its /event
 * stream, which only keeps each read and when it arrived; `decode()` turns what was read so far
 * into each session's arrivals. Decoding as it reads (several thousand records a burst, every
 * session's) made this process read the runner's stream late whenever the two cores were busy,
 * and the app's added latency looked smaller than it is, even below zero.
 */
export function followRunnerSessions(endpoint: RunnerEndpoint, directory: string, opencodeIds: string[], signal: AbortSignal) {
  const bySession = new Map<string, ReturnType<typeof newArrivals>>(opencodeIds.map((id) => [id, newArrivals()]));
  const reads: { bytes: Uint8Array; at: number }[] = [];
  const decoder = sseDecoder(runnerTextTally(bySession));
  const done = readRunnerStream(endpoint, directory, signal, (bytes, at) => {
    // opencode's first record is server.connected
    if (reads.length === 0) for (const arrivals of bySession.values()) arrivals.open();
    reads.push({ bytes, at });
  });
  let decoded = 0;
  return {
    sessions: [...bySession.values()].map((arrivals) => Object.assign(arrivals, { done })),
    decode(): void {
      for (; decoded < reads.length; decoded++) decoder(reads[decoded]!.bytes, reads[decoded]!.at);
    },
  };
}

/** Every record of opencode's /event stream of the directory, parsed, in order: a run to replay later. */
export function recordRunner(endpoint: RunnerEndpoint, directory: string, signal: AbortSignal) {
  const events: unknown[] = [];
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const done = readRunnerEvents(endpoint, directory, signal, (data) => {
    open(); // opencode's first record is server.connected
    events.push(JSON.parse(data));
  });
  return { events, opened, done };
}
