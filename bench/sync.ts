import { syncTree } from "~/server/archive/sync";
import { indexPendingParts } from "~/server/search/indexer";
import type { TreeSource } from "~/server/archive/source";
import type { Database } from "~/server/db";
import { benchDatabases, type BenchDatabase } from "./databases";
import { round, summarize } from "./stats";

const INCREMENTAL_ROUNDS = 5;
/** Full syncs per database, each into a database of its own: one is mostly noise at this size. */
const FULL_ROUNDS = 3;

/**
 * Full sync of the tree into an empty archive, then incremental syncs after one more turn each,
 * on each database (issue 15's targets: full <= 2 s, incremental <= 100 ms). Baseline: reading the
 * same tree from its source (`sourceName`: the runner in `npm run bench`), which every sync does first.
 */
export async function benchArchiveSync(opts: {
  source: TreeSource;
  sourceName: string;
  runnerId: string;
  runnerUrl: string;
  opencodeId: string;
  parts: number;
  /** Adds a short turn to the tree (`round` counts from 0). */
  oneMoreTurn: (round: number) => Promise<void>;
  row: (section: string, measure: string, flightdeck: string, baseline: string, ratio: number | string) => void;
}) {
  const { source } = opts;
  const read = async () => {
    const t = performance.now();
    await source.loadTree(opts.opencodeId);
    return performance.now() - t;
  };
  // PGlite on disk, as the app keeps it (in memory it is slower: its file system grows by copying).
  const { targets: list, skipped } = await benchDatabases({ onDisk: true });
  const open = async (target: BenchDatabase) => {
    const db = await target.open();
    await db.client.runner.create({ data: { id: opts.runnerId, name: "bench", kind: "remote", url: opts.runnerUrl } });
    return db;
  };
  const opened = [];
  for (const target of list) opened.push({ target, db: await open(target) });
  const out: Record<string, unknown> = { skipped };
  const sync = async (db: Database, recent?: boolean) => {
    const t = performance.now();
    const outcome = await syncTree(db.client, source, { runnerId: opts.runnerId, rootOpencodeId: opts.opencodeId }, { recent });
    return { ms: performance.now() - t, changes: outcome.changes, read: outcome.read };
  };
  try {
    for (const { target, db } of opened) {
      // The first into the database the later rows use, the others into fresh ones, dropped after.
      const samples = [];
      for (let n = 0; n < FULL_ROUNDS; n++) {
        const into = n === 0 ? db : await open(target);
        try {
          const readMs = await read();
          samples.push({ ...(await sync(into)), readMs });
        } finally {
          if (into !== db) await into.close().then(() => into.drop?.());
        }
      }
      const full = [...samples].sort((a, b) => a.ms - b.ms)[Math.floor(samples.length / 2)]!;
      out[`${target.name}_full`] = { ...full, samples };
      opts.row(
        `archive sync ${target.name}`,
        `full (${opts.parts} parts, ${full.changes} changes; median of ${samples.length}: ${samples.map((x) => round(x.ms)).join(", ")} ms; target <= 2 s)`,
        `${round(full.ms)} ms`,
        `read tree from ${opts.sourceName} ${round(full.readMs)} ms`,
        full.ms / full.readMs,
      );
      // What the app's search indexer then does behind the sync (server/search/indexer.ts).
      const t = performance.now();
      const indexed = await indexPendingParts(db.client);
      const indexMs = performance.now() - t;
      out[`${target.name}_search_index`] = { ms: indexMs, parts: indexed };
      opts.row(`archive sync ${target.name}`, `then the search index of its ${indexed} parts, stored behind it (searches meanwhile compute it)`, `${round(indexMs)} ms`, "-", "-");
    }
    // One sample is mostly noise at this size: the median of a few turns, each synced by every database.
    const rounds: Record<string, { ms: number; changes: number; read?: string; readMs: number }[]> = {};
    for (let round = 0; round < INCREMENTAL_ROUNDS; round++) {
      await opts.oneMoreTurn(round);
      await settled(source, opts.opencodeId);
      for (const { target, db } of opened) {
        const readMs = await read();
        // As the app syncs a tree once a turn went idle: from the runner's newest messages.
        (rounds[target.name] ??= []).push({ ...(await sync(db, true)), readMs });
      }
    }
    for (const { target, db } of opened) {
      const samples = rounds[target.name] ?? [];
      const [ms, readMs] = [summarize(samples.map((s) => s.ms)).p50, summarize(samples.map((s) => s.readMs)).p50];
      const reads = [...new Set(samples.map((s) => s.read))].join("/");
      const changes = [...new Set(samples.map((s) => s.changes))].join("/");
      out[`${target.name}_incremental`] = { ms, readMs, samples };
      opts.row(
        `archive sync ${target.name}`,
        `incremental after 1 turn, idle sync (median of ${samples.length}; read ${reads}, ${changes} changes; target <= 100 ms)`,
        `${round(ms)} ms`,
        `read tree from ${opts.sourceName} ${round(readMs)} ms`,
        ms / readMs,
      );
      const again = await sync(db);
      out[`${target.name}_unchanged`] = again;
      opts.row(`archive sync ${target.name}`, `again, whole tree read, nothing changed (${again.changes} changes)`, `${round(again.ms)} ms`, "-", "-");
    }
    for (const reason of skipped) opts.row("archive sync", "not measured", "-", "-", reason);
  } finally {
    for (const { db } of opened) {
      await db.close();
      await db.drop?.();
    }
  }
  return out;
}

/**
 * Until the source shows the tree idle with its last answer complete: the app may call a turn
 * done a moment before the runner does, and a sync then would see it busy (and read it whole).
 */
async function settled(source: TreeSource, rootOpencodeId: string) {
  for (const started = Date.now(); Date.now() - started < 30_000; await new Promise((r) => setTimeout(r, 100))) {
    const tree = await source.loadTree(rootOpencodeId, { recent: 1 });
    const done = (s: NonNullable<typeof tree>["sessions"][number]) =>
      s.status.type === "idle" && (s.messages.at(-1) as { info?: { time?: { completed?: number } } } | undefined)?.info?.time?.completed !== undefined;
    if (tree?.sessions.every(done)) return;
  }
  throw new Error(`the tree ${rootOpencodeId} did not settle on its runner within 30 s`);
}
