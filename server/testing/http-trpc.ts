import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import type { AnyRouter } from "@trpc/server";
import type { InnerContext } from "~/server/api/trpc";

/** How the input travels: as the app's client sends it, as plain JSON, or as broken text. */
export type Wire = { kind: "superjson" } | { kind: "json" } | { kind: "text"; text: string };

/** `internalError`: what the server logged for a 500, to say why a test failed. */
export type HttpAnswer = { status: number; body: unknown; internalError?: string };

const bigintAsString = (_key: string, value: unknown) => (typeof value === "bigint" ? String(value) : value);

function encode(input: unknown, wire: Wire): string | undefined {
  if (wire.kind === "text") return wire.text;
  if (input === undefined) return undefined;
  if (wire.kind === "json") return JSON.stringify(input, bigintAsString);
  // superjson refuses some values (a `__proto__` key); the app's client would not send them.
  try {
    return superjson.stringify(input);
  } catch {
    return JSON.stringify(input, bigintAsString);
  }
}

/**
 * One call through the tRPC fetch handler the app serves at /api/trpc, so the status is what a
 * browser gets: queries and subscriptions as GET `?input=`, mutations as a POST body.
 * A subscription's stream is read up to its first message, then closed.
 */
export async function callOverHttp(
  router: AnyRouter,
  context: () => InnerContext,
  call: { path: string; type: "query" | "mutation" | "subscription"; input: unknown; wire?: Wire },
): Promise<HttpAnswer> {
  const body = encode(call.input, call.wire ?? { kind: "superjson" });
  const url = new URL(`http://localhost/api/trpc/${call.path}`);
  // A URL carries only well-formed text; a browser's client could not send a lone surrogate here.
  if (call.type !== "mutation" && body !== undefined) url.searchParams.set("input", body.replace(/\p{Cs}/gu, "\uFFFD"));
  const aborted = new AbortController();
  const req = new Request(url, {
    method: call.type === "mutation" ? "POST" : "GET",
    body: call.type === "mutation" ? body : undefined,
    headers: call.type === "subscription" ? { accept: "text/event-stream" } : { "content-type": "application/json" },
    signal: aborted.signal,
  });
  let internalError: string | undefined;
  const onError = ({ error }: { error: { code: string; cause?: unknown } }) => {
    if (error.code === "INTERNAL_SERVER_ERROR") internalError = String((error.cause as Error | undefined)?.stack ?? error.cause ?? error);
  };
  const response = await fetchRequestHandler({ endpoint: "/api/trpc", req, router, createContext: context, onError });
  if (call.type !== "subscription") return { status: response.status, body: await response.json().catch(() => undefined), internalError };
  const reader = response.body!.getReader();
  const first = await reader.read();
  aborted.abort();
  await reader.cancel().catch(() => undefined);
  return { status: response.status, body: first.value ? new TextDecoder().decode(first.value) : undefined, internalError };
}

/** The data of a successful answer, decoded as the app's client decodes it. */
export function dataOf<T>(answer: HttpAnswer): T {
  const result = (answer.body as { result: { data: Parameters<typeof superjson.deserialize>[0] } }).result;
  return superjson.deserialize(result.data) as T;
}
