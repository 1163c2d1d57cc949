import { setImmediate as yieldToIo } from "node:timers/promises";
import { basicAuth, type RunnerEndpoint } from "~/server/runtime/health";
import { runnerUrl } from "~/server/runtime/runner-url";
import { SseDecoder } from "./sse-lines";

export type RunnerEventsOptions = {
  endpoint: RunnerEndpoint;
  directory: string;
  signal: AbortSignal;
  /** One raw event payload (JSON text) as the runner sent it. */
  onEvent: (payload: string) => void;
  /** Connected (again): events sent while disconnected were missed. */
  onConnected: () => void | Promise<void>;
  onDisconnected: (error: unknown) => void;
  /** This many attempts in a row failed without a connection: following ends here. */
  onGaveUp: (error: unknown) => void;
  backoff?: { initialMs: number; maxMs: number; maxAttempts: number };
};

/** Most time spent reading runner events before other work gets a turn of the event loop. */
const YIELD_EVERY_MS = 10;

// 0.25 + 0.5 + ... + 8 s, then 10 s apart: about a minute and a half of trying before giving up.
const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 10_000, maxAttempts: 12 };

/**
 * Keeps one `/event?directory=` subscription to a runner open until `signal` aborts,
 * reconnecting with capped exponential backoff. Resolves once aborted, or once `maxAttempts`
 * attempts in a row failed: a directory the runner keeps refusing is not retried forever.
 */
export async function followRunnerEvents(options: RunnerEventsOptions): Promise<void> {
  const { initialMs, maxMs, maxAttempts } = options.backoff ?? DEFAULT_BACKOFF;
  let attempt = 0;
  while (!options.signal.aborted) {
    try {
      const url = runnerUrl(options.endpoint.url, "/event");
      url.searchParams.set("directory", options.directory);
      const response = await fetch(url, {
        headers: {
          accept: "text/event-stream",
          ...(options.endpoint.credentials ? { authorization: basicAuth(options.endpoint.credentials) } : {}),
        },
        signal: options.signal,
      });
      if (!response.ok || !response.body) throw new Error(`runner events: HTTP ${response.status}`);
      attempt = 0;
      await options.onConnected();
      const decoder = new SseDecoder();
      const text = new TextDecoder();
      const reader = response.body.getReader();
      let yieldedAt = performance.now();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        for (const payload of decoder.push(text.decode(chunk.value, { stream: true }))) options.onEvent(payload);
        // A backlog reads and is handled in promise callbacks alone; without a turn of the event
        // loop now and then, the app answered no request until a burst was through (19 s seen).
        // Not after every chunk: each turn also lets a database query run first (PGlite shares
        // this thread), and a stream read a chunk per query falls behind the runner.
        if (performance.now() - yieldedAt >= YIELD_EVERY_MS) {
          await yieldToIo();
          yieldedAt = performance.now();
        }
      }
      throw new Error("runner events: stream ended");
    } catch (error) {
      if (options.signal.aborted) return;
      if (attempt + 1 >= maxAttempts) return options.onGaveUp(error);
      options.onDisconnected(error);
    }
    const delay = Math.min(maxMs, initialMs * 2 ** attempt++);
    await sleep(delay, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
