import type { PGlite, Transaction } from "@electric-sql/pglite";

// Longest stretch a transaction's queries keep the event loop before letting I/O in.
const TRANSACTION_SLICE_MS = 20;

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * PGlite runs each query synchronously (wasm) on the main thread and hands its one connection to
 * the next waiter through promise callbacks, so a backlog of queries runs back to back without the
 * event loop reading a socket or firing a timer: under 200 concurrent list requests, a health
 * check that needs no query at all waited 30-60 s to be read. Here queries take turns, and each
 * turn starts in a macrotask (setImmediate), so pending I/O is served between two queries.
 * A transaction's own queries bypass `query`: they step aside once they have held the loop for
 * 20 ms (a live writer's batch of 1,169 events once held it for 2.7 s).
 */
export function takeTurns(pglite: PGlite): PGlite {
  const query = pglite.query.bind(pglite);
  let previous: Promise<unknown> = Promise.resolve();
  pglite.query = ((...args: Parameters<PGlite["query"]>) => {
    const turn = previous.then(nextMacrotask).then(() => query(...args));
    previous = turn.catch(() => undefined);
    return turn;
  }) as PGlite["query"];

  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = (<T>(callback: (tx: Transaction) => Promise<T>) =>
    nextMacrotask().then(() => transaction((tx) => callback(inSlices(tx))))) as PGlite["transaction"];
  return pglite;
}

function inSlices(tx: Transaction): Transaction {
  let since = Date.now();
  const stepAside = async () => {
    if (Date.now() - since < TRANSACTION_SLICE_MS) return;
    await nextMacrotask();
    since = Date.now();
  };
  const query = tx.query.bind(tx);
  const exec = tx.exec.bind(tx);
  tx.query = (async (...args: Parameters<Transaction["query"]>) => {
    await stepAside();
    return query(...args);
  }) as Transaction["query"];
  tx.exec = async (...args: Parameters<Transaction["exec"]>) => {
    await stepAside();
    return exec(...args);
  };
  return tx;
}
