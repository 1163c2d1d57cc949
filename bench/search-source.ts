/**
 * The one real tree the search section copies a thousand times: grown through the embedded
 * runner and the Demo model on the live app, with everything search reads in it (a prompt with
 * the marker placeholder, text, reasoning, a sub-agent, tool calls and their outputs), while the
 * runner's own /event stream of the run is recorded for the writer's measurement to replay.
 */
import path from "node:path";
import { runnerPaths } from "~/server/runtime/runner-env";
import { recordRunner } from "./client";
import { growTree, type LiveApp } from "./live-app";
import { sleep } from "./wait";

/** In the first prompt of the grown tree; every copy puts its own marker word in its place. */
export const MARKER_PLACEHOLDER = "benchcopyplaceholder";

export type SearchSource = {
  /** The runner's opencode.db (read once the app has stopped) and the tree's root in it. */
  database: string;
  rootOpencodeId: string;
  directory: string;
  parts: number;
  turns: number;
  growMs: number;
  /** opencode's /event records of the whole run, in order. */
  events: unknown[];
};

const OPENING_TURNS = [
  `Start of a benchmark tree ${MARKER_PLACEHOLDER}: say something. demo:text`,
  "Think it over before answering. demo:reasoning",
  "Hand the reading to a helper. demo:task",
];

export async function growSearchSource(app: LiveApp, dataDir: string, targetParts: number, log: (line: string) => void): Promise<SearchSource> {
  const ac = new AbortController();
  const recording = recordRunner(app.endpoint, app.directory, ac.signal);
  await recording.opened;
  const started = Date.now();
  const session = await app.createSession();
  for (const [i, text] of OPENING_TURNS.entries()) {
    await app.prompt(session.id, text);
    await app.waitIdle(session.id, i + 1, 120_000);
  }
  const grown = await growTree(app, session.id, targetParts, (line) => log(`search source tree: ${line}`));
  // The run's last records (the session going idle) are on their way to the recording.
  await sleep(1000);
  ac.abort();
  await recording.done;
  return {
    database: runnerPaths(path.join(dataDir, "runner")).database,
    rootOpencodeId: session.opencodeId,
    directory: app.directory,
    ...grown,
    growMs: Date.now() - started,
    events: recording.events,
  };
}
