import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { adminCookieHeader } from "./team-fixtures";

// The tRPC HTTP API as another client (a teammate's tab, a script) would call it: superjson
// envelopes, one procedure per request.

async function unwrap<T>(response: Awaited<ReturnType<APIRequestContext["get"]>>, what: string): Promise<T> {
  const body = (await response.json()) as { result?: { data?: { json?: T } }; error?: { json?: { message?: string } } };
  if (!response.ok() || !body.result) throw new Error(`${what} failed (${response.status()}): ${body.error?.json?.message}`);
  return body.result.data?.json as T;
}

export async function query<T>(request: APIRequestContext, procedure: string, input?: unknown): Promise<T> {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const get = () => request.get(`/api/trpc/${procedure}${search}`);
  // A kept-alive connection the server closed just as this request went out (its idle timer
  // fires late while a long run keeps it busy): a query is sent again once, as browsers do.
  const response = await get().catch((error: Error) => {
    if (/ECONNRESET|socket hang up/.test(error.message)) return get();
    throw error;
  });
  return unwrap<T>(response, procedure);
}

export async function mutate<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  return unwrap<T>(await request.post(`/api/trpc/${procedure}`, { data: { json: input } }), procedure);
}

type RunnerRow = { id: string; status: string; defaultDirectory?: string };

/** The embedded runner, once it serves (the app answers health checks before it is up). */
export async function embeddedRunner(request: APIRequestContext): Promise<{ runnerId: string; directory: string }> {
  let embedded: RunnerRow | undefined;
  await expect
    .poll(
      async () => {
        embedded = (await query<RunnerRow[]>(request, "runner.list")).find((r) => r.defaultDirectory);
        return embedded?.status;
      },
      { timeout: 90_000, message: "the embedded runner never became healthy" },
    )
    .toBe("healthy");
  return { runnerId: embedded!.id, directory: embedded!.defaultDirectory! };
}

/** Starts a session with a first prompt through the API (as from another tab) and returns its id. */
export async function startSession(request: APIRequestContext, prompt: string, title?: string): Promise<string> {
  const { runnerId, directory } = await embeddedRunner(request);
  const { id } = await mutate<{ id: string }>(request, "session.create", { runnerId, directory, title });
  await mutate(request, "session.prompt", { sessionId: id, text: prompt });
  return id;
}

export async function sessionStatus(request: APIRequestContext, sessionId: string): Promise<string> {
  return (await query<{ status: string }>(request, "session.get", { sessionId })).status;
}

export async function waitUntilIdle(request: APIRequestContext, sessionId: string, timeout = 30_000) {
  await expect.poll(() => sessionStatus(request, sessionId), { timeout }).toBe("idle");
}

/** Counts the page's requests to a tRPC procedure from now on (batched calls included). */
export function countRequests(page: Page, procedure: string): { count: () => number } {
  let count = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.split("/").pop()!.split(",").includes(procedure)) count++;
  });
  return { count: () => count };
}

/** Counts Next's prefetches of pages (each one a whole server render of a page nobody opened). */
export function countPrefetches(page: Page): { urls: string[] } {
  const urls: string[] = [];
  page.on("request", (request) => {
    const headers = request.headers();
    if ("next-router-prefetch" in headers || "next-router-segment-prefetch" in headers) urls.push(request.url());
  });
  return { urls };
}

/**
 * Another client following `session.changes`: counts the notices after its first (the one every
 * subscriber gets on connecting), until stop(). Resolves once it is connected.
 */
export async function watchChanges(baseURL: string): Promise<{ count: () => number; stop: () => void }> {
  const abort = new AbortController();
  const response = await fetch(new URL("/api/trpc/session.changes", baseURL), { signal: abort.signal, headers: { cookie: adminCookieHeader() } });
  if (!response.ok || !response.body) throw new Error(`session.changes failed (${response.status})`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let notices = -1;
  let connected!: () => void;
  const first = new Promise<void>((resolve) => (connected = resolve));
  const reading = (async () => {
    let buffer = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffer += chunk.value;
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const record = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        // Notices are plain data records; tRPC's own (connected, ping) are named events.
        if (/^data:/m.test(record) && !/^event:/m.test(record) && ++notices === 0) connected();
      }
    }
  })();
  // Ending (or failing) before the first notice fails the wait instead of hanging it; after it,
  // the end is stop() aborting the request.
  const ended = reading.then(() => {
    throw new Error("session.changes ended before its first notice");
  });
  ended.catch(() => undefined);
  await Promise.race([first, ended]);
  return { count: () => notices, stop: () => abort.abort() };
}

/** The badge next to the session page's title (not the ones of sub-agents). */
export function pageStatus(page: Page) {
  return page.getByTestId("session-header-status");
}

/** For review by a person; not compared against anything (e2e/screenshots/ is gitignored). */
export async function saveScreenshot(page: Page, name: string) {
  const dir = path.join(__dirname, "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}

export const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

type Timeline = { turnCount: number; turns: { status: string }[] };
const newestTurn = (request: APIRequestContext, sessionId: string) => query<Timeline>(request, "session.timeline", { sessionId, limit: 1 });

/** How many turns the tree's root has (compactions included). */
export async function turnCount(request: APIRequestContext, sessionId: string): Promise<number> {
  return (await newestTurn(request, sessionId)).turnCount;
}

/**
 * Waits for a prompt just sent to reach the runner (the root has `turns` turns), then for the
 * run to finish: its newest turn ended and the session idle. Counted in turns, not by catching
 * the session busy: a short run can start and end between two polls.
 */
export async function waitForRun(request: APIRequestContext, sessionId: string, timeout: number, turns = 1) {
  await expect.poll(() => turnCount(request, sessionId), { timeout: 60_000, message: "the run never started" }).toBeGreaterThanOrEqual(turns);
  const ended = async () => (await newestTurn(request, sessionId)).turns[0]?.status !== "running" && (await sessionStatus(request, sessionId)) === "idle";
  await expect.poll(ended, { timeout, message: "the run never ended" }).toBe(true);
}
