import type { PGlite } from "@electric-sql/pglite";

/**
 * PGlite runs each query synchronously (wasm) on the main thread and hands its one connection to
 * the next waiter through promise callbacks, so a backlog of queries runs back to back without the
 * event loop reading a socket or firing a timer: under 200 concurrent list requests, a health
 * check that needs no query at all waited 30-60 s to be read. Here queries take turns, and each
 * turn starts in a macrotask (setImmediate), so pending I/O is served between two queries.
 */
export function takeTurns(pglite: PGlite): PGlite {
  const query = pglite.query.bind(pglite);
  let previous: Promise<unknown> = Promise.resolve();
  pglite.query = ((...args: Parameters<PGlite["query"]>) => {
    const turn = previous.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => query(...args));
    previous = turn.catch(() => undefined);
    return turn;
  }) as PGlite["query"];
  return pglite;
}
