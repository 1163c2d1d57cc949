import path from "node:path";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import type { ExportSource } from "~/server/archive/export-source";

// The HTML export as the app serves it. Next bundles route handlers for React Server Components,
// where react-dom/server may not be imported and client components (a copy button) are only
// references, so the rows are rendered to static markup in a worker thread that loads the
// components as plain Node modules (through tsx, from the sources `npm start` serves). One
// worker per process, started by the first export (loading the components takes seconds) and
// kept. Each export has its own channel: the worker renders one piece when the download asks
// for more, so the file is never whole in memory. The source's outline is copied to the
// worker, which asks this side for each window of turns it writes ({ need: turn ids, bare: those
// read without their parts }, answered { turns }) before it answers.

const RENDER_IN_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
const load = createRequire(workerData.root + "/package.json");
load("tsx/cjs/api").register();
const { exportHtmlStream } = load(workerData.module);
parentPort.on("message", ({ port, outline, exportedAt }) => {
  const fail = (error) => port.postMessage({ error: String((error && error.stack) || error) });
  let answer;
  const turns = (ids, bare) => new Promise((resolve) => ((answer = resolve), port.postMessage({ need: ids, bare })));
  exportHtmlStream({ ...outline, turns }, exportedAt).then((stream) => {
    const reader = stream.getReader();
    port.on("message", (ask) => {
      if (ask === "cancel") return reader.cancel().finally(() => port.close());
      if (ask && ask.turns) return answer(ask.turns);
      reader.read().then((chunk) => {
        if (chunk.done) return port.postMessage(null), port.close();
        port.postMessage(chunk.value, [chunk.value.buffer]);
      }, fail);
    });
    port.postMessage("ready");
  }, fail);
});
`;

let worker: Worker | undefined;

function renderer(): Worker {
  if (worker) return worker;
  const root = process.cwd();
  const started = new Worker(RENDER_IN_WORKER, { eval: true, workerData: { root, module: path.join(root, "components/archive/export-html.tsx") } });
  started.unref();
  // A worker that failed is replaced by the next export; the exports it served fail (their channels close).
  started.on("error", () => {});
  started.on("exit", () => {
    if (worker === started) worker = undefined;
  });
  worker = started;
  return started;
}

function replies(port: MessagePort) {
  const waiting: ((value: unknown) => void)[] = [];
  port.on("message", (value) => waiting.shift()?.(value));
  port.on("close", () => {
    for (const resolve of waiting.splice(0)) resolve({ error: "the export worker stopped" });
  });
  return (ask?: unknown) =>
    new Promise<unknown>((resolve) => {
      waiting.push(resolve);
      if (ask) port.postMessage(ask);
    });
}

const failure = (value: unknown) => new Error(`The HTML export failed: ${(value as { error?: string }).error ?? "unknown"}`);

const needs = (value: unknown): value is { need: string[]; bare?: string[] } => typeof value === "object" && value !== null && "need" in value;

/** The source's file, its turns read a window at a time as the pieces that show them are written. */
export function exportHtmlFile(source: ExportSource, exportedAt = new Date()): ReadableStream<Uint8Array> {
  const { port1, port2 } = new MessageChannel();
  const ask = replies(port1);
  const { turns, ...outline } = source;
  return new ReadableStream<Uint8Array>(
    {
      async start() {
        const ready = ask();
        renderer().postMessage({ port: port2, outline, exportedAt }, [port2]);
        const value = await ready;
        if (value !== "ready") throw failure(value);
      },
      async pull(controller) {
        let value = await ask("more");
        try {
          while (needs(value)) value = await ask({ turns: await turns(value.need, value.bare) });
        } catch (error) {
          port1.postMessage("cancel");
          throw error;
        }
        if (value === null) controller.close();
        else if (value instanceof Uint8Array) controller.enqueue(value);
        else throw failure(value);
      },
      cancel() {
        port1.postMessage("cancel");
      },
    },
    { highWaterMark: 0 },
  );
}
