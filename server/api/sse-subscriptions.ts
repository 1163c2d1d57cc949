import type { IncomingMessage, ServerResponse } from "node:http";
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, isTrackedEnvelope } from "@trpc/server";
import { appRouter } from "~/server/api/root";
import { createContext, shareTokenOf, SSE_PING_MS, type InnerContext } from "~/server/api/trpc";
import { isEncodedOnce, transformer } from "~/server/api/transformer";
import { refuseRequest } from "~/server/auth/origin";
import { withSecurityHeaders } from "~/server/auth/security-headers";
import { config } from "~/server/config";
import { log, requestIdOf } from "~/server/log";

/**
 * tRPC subscriptions served straight onto Node's HTTP response, in front of Next (scripts/serve.mjs):
 * the same router, procedures and role checks as `/api/trpc`, the same SSE records tRPC's fetch
 * adapter writes (`connected`, data with its id, `ping`, `serialized-error`, `return`), but
 * without the per-connection web streams of tRPC's producer and Next's response piping (a
 * thousand viewers of one session spent most of the app's time there, and about 120 KB of heap
 * each). A record sent to many viewers (`encodeOnce`) is encoded to bytes once and written to
 * each connection as the same buffer.
 *
 * Declines (returns false, nothing written) what it does not serve: another path or method, a
 * request the envelope refuses, and a subscription that fails before its first record (unknown,
 * not allowed, bad input): Next's route then answers it exactly as tRPC does.
 */
export async function serveSubscription(req: IncomingMessage, res: ServerResponse, contextOf: ContextOf = createContext): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://flightdeck.invalid");
  const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : undefined;
  if (req.method !== "GET" || !path || !isSubscription(path)) return false;
  const headers = headersOf(req);
  if (refuseRequest({ method: "GET", headers }, { publicUrl: config().FLIGHTDECK_PUBLIC_URL })) return false;

  const requestId = requestIdOf(headers);
  const ac = new AbortController();
  const closed = () => ac.abort();
  res.once("close", closed);
  let iterator: AsyncIterator<unknown> | undefined;
  let ctx: InnerContext;
  let first: Promise<IteratorResult<unknown>>;
  try {
    ctx = await contextOf({ headers, requestId, shareToken: shareParam(url) });
    const input = inputOf(url, headers);
    const iterable = (await callTRPCProcedure({ router: appRouter, path, getRawInput: async () => input, ctx, type: "subscription", signal: ac.signal, batchIndex: 0 })) as AsyncIterable<unknown>;
    iterator = iterable[Symbol.asyncIterator]();
    first = iterator.next();
    // A subscription quiet at first is answered anyway (its first record then comes in the
    // stream): the client hears `connected` in time.
    await Promise.race([first, new Promise((resolve) => setTimeout(resolve, FIRST_RECORD_WAIT_MS).unref())]);
  } catch {
    res.off("close", closed);
    ac.abort();
    await iterator?.return?.().catch(() => {});
    // A client that left meanwhile needs no answer; any other gets Next's.
    return res.destroyed;
  }
  if (res.destroyed) {
    ac.abort();
    await iterator.return?.().catch(() => {});
    return true;
  }
  await stream(res, iterator, first, { ctx, path, requestId, lastEventId: lastEventIdOf(url, headers), signal: ac.signal });
  return true;
}

/** Who is asking: the request's (the default), or one a test builds (an inner context). */
export type ContextOf = (request: { headers: Headers; requestId: string; shareToken: string | null }) => Promise<InnerContext>;

const PREFIX = "/api/trpc/";
const FIRST_RECORD_WAIT_MS = 1_000;

const SSE_HEADERS: Record<string, string> = {
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
  Connection: "keep-alive",
};

function isSubscription(path: string): boolean {
  // Flat at run time ("session.events"), whatever its declared type says.
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;
  return Object.hasOwn(procedures, path) && procedures[path]?._def.type === "subscription";
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

// A share page's subscription cannot send headers (EventSource): its token comes as a connection parameter.
function shareParam(url: URL): string | null {
  const raw = url.searchParams.get("connectionParams");
  return raw ? shareTokenOf(JSON.parse(raw)) : null;
}

/** As tRPC's fetch adapter reads it: the transformed `input`, with the id EventSource resumes from folded in. */
function inputOf(url: URL, headers: Headers): unknown {
  const raw = url.searchParams.get("input");
  let input: unknown = raw === null ? undefined : transformer.input.deserialize(JSON.parse(raw));
  const lastEventId = lastEventIdOf(url, headers);
  if (lastEventId) input = input && typeof input === "object" ? { ...input, lastEventId } : (input ?? { lastEventId });
  return input;
}

function lastEventIdOf(url: URL, headers: Headers): string | null {
  return headers.get("last-event-id") ?? url.searchParams.get("lastEventId") ?? url.searchParams.get("Last-Event-Id");
}

type StreamOptions = { ctx: InnerContext; path: string; requestId: string; lastEventId: string | null; signal: AbortSignal };

async function stream(res: ServerResponse, iterator: AsyncIterator<unknown>, first: Promise<IteratorResult<unknown>>, options: StreamOptions) {
  res.writeHead(200, Object.fromEntries(withSecurityHeaders({ ...SSE_HEADERS, "x-request-id": options.requestId })));
  // tRPC's ping: a record whenever nothing was sent for a whole interval.
  const ping = setTimeout(() => write(PING), SSE_PING_MS);
  const write = (record: string | Buffer) => {
    ping.refresh();
    return res.write(record);
  };
  write(CONNECTED);
  let lastEventId = options.lastEventId && !/[\0\n\r]/.test(options.lastEventId) ? options.lastEventId : null;
  try {
    let next = await first;
    while (!next.done) {
      const records = recordsOf(next.value, lastEventId);
      lastEventId = records.lastEventId;
      // A connection that cannot take more waits here, so the hub's bound on a slow viewer holds.
      if (!records.bytes.map(write).every(Boolean)) await drained(res, options.signal);
      if (options.signal.aborted) break;
      next = await iterator.next();
    }
    if (!options.signal.aborted) write(RETURN);
  } catch (cause) {
    if (!options.signal.aborted) write(errorRecord(cause, options));
  } finally {
    clearTimeout(ping);
    await iterator.return?.().catch(() => {});
    res.end();
  }
}

const CONNECTED = `event: connected\ndata: ${JSON.stringify({})}\n\n\n`;
const PING = "event: ping\ndata: \n\n\n";
const RETURN = "event: return\ndata: \n\n\n";

/** Records already encoded, by the value they carry: only values marked `encodeOnce` (many viewers get them). */
const encoded = new WeakMap<object, Buffer>();

/** The records tRPC's producer writes for one value, and the id a client resumes from after them. */
function recordsOf(value: unknown, lastEventId: string | null): { bytes: (string | Buffer)[]; lastEventId: string | null } {
  if (isTrackedEnvelope(value)) {
    const [id, data] = value;
    const shared = typeof data === "object" && data !== null && isEncodedOnce(data);
    let record = shared ? encoded.get(data) : undefined;
    if (!record) {
      record = Buffer.from(`data: ${JSON.stringify(transformer.output.serialize(data))}\nid: ${id}\n\n\n`);
      if (shared) encoded.set(data, record);
    }
    return { bytes: [record], lastEventId: id };
  }
  const data = `data: ${JSON.stringify(transformer.output.serialize(value))}\n`;
  if (lastEventId === null) return { bytes: [`${data}\n\n`], lastEventId };
  // A record without an id would reset the client's; tRPC restores it right after.
  return { bytes: [`${data}id: \n\n\n`, `event: restore-id\ndata: \nid: ${lastEventId}\n\n\n`], lastEventId };
}

function errorRecord(cause: unknown, { ctx, path, requestId }: StreamOptions): string {
  const error = getTRPCErrorFromUnknown(cause);
  if (error.code === "INTERNAL_SERVER_ERROR") log.error({ requestId, path, err: error.cause ?? error }, "procedure failed");
  const shape = getTRPCErrorShape({ config: appRouter._def._config, ctx, error, input: undefined, path, type: "subscription" });
  return `event: serialized-error\ndata: ${JSON.stringify(transformer.output.serialize(shape))}\n\n\n`;
}

function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    res.once("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Where the front server (scripts/serve.mjs) finds `serveSubscription`: Next loads this module
 * in its own bundle (server/boot.ts puts it here), and the front server must use that copy, the
 * one whose services and router the app runs, rather than import a second one.
 */
export const SUBSCRIPTION_HOOK = "flightdeckServeSubscription";
