/**
 * What keeping the search index current costs the live writer: the runner's recorded event
 * stream of the grown tree, normalized as the bridge does, written by the app's EventWriter into
 * a fresh database migrated as is, then the search indexer's pass over what it wrote
 * (server/search/indexer.ts), and into one where the search columns (and their GIN indexes, and
 * the trigger that marks a rewritten part pending) are dropped. Same events, same writer; the
 * difference is what keeping the index current costs. Alternating order, median of the repetitions.
 */
import { indexPendingParts } from "~/server/search/indexer";
import { EventWriter } from "~/server/store/event-writer";
import { Normalizer } from "~/server/stream/normalizer";
import type { SessionEvent } from "~/server/stream/session-event";
import type { Row } from "./archived-view";
import { benchDatabases, type BenchDatabase } from "./databases";
import { round } from "./stats";

export const WRITER_TARGET_RATIO = 1.1;

const WITHOUT_INDEX = ['DROP TRIGGER "Part_search_stale" ON "Part"', 'ALTER TABLE "Part" DROP COLUMN "search"', 'ALTER TABLE "Session" DROP COLUMN "search"'];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The stream as the live bridge hands it to the writer. */
export function normalize(raw: readonly unknown[]): { events: SessionEvent[]; rejected: number } {
  const normalizer = new Normalizer();
  let rejected = 0;
  const events = raw.flatMap((record) => {
    const result = normalizer.push(record);
    rejected += result.rejected.length;
    return result.events;
  });
  return { events, rejected };
}

/** One write of the whole stream into a fresh database; the time from enqueue to the last commit. */
async function writeOnce(target: BenchDatabase, events: SessionEvent[], directory: string, indexed: boolean) {
  const db = await target.open();
  try {
    if (!indexed) for (const sql of WITHOUT_INDEX) await db.client.$executeRawUnsafe(sql);
    const runner = await db.client.runner.create({ data: { name: "bench", kind: "remote", url: "" } });
    const errors: unknown[] = [];
    const writer = new EventWriter(db.client, { runnerId: runner.id, directory, onCommitted: () => {}, onError: (error) => errors.push(error) });
    const t = performance.now();
    writer.enqueue(events);
    await writer.flush();
    if (indexed) await indexPendingParts(db.client);
    const ms = performance.now() - t;
    if (errors.length) throw new Error(`the writer failed ${errors.length} event(s): ${String(errors[0])}`);
    // The index was kept: every part the writer stored has its tsvector once the indexer ran.
    const [counts] = await db.client.$queryRawUnsafe<{ parts: bigint; indexed: bigint }[]>(
      `SELECT count(*) AS parts, ${indexed ? 'count("search")' : "0::bigint"} AS indexed FROM "Part"`,
    );
    const parts = Number(counts!.parts);
    if (indexed && Number(counts!.indexed) !== parts) throw new Error(`${parts - Number(counts!.indexed)} of ${parts} parts have no search vector`);
    return { ms, parts };
  } finally {
    await db.close();
    await db.drop?.();
  }
}

export async function benchIndexWriteCost(opts: { raw: readonly unknown[]; directory: string; repetitions: number; row: Row; log: (line: string) => void }) {
  const { events, rejected } = normalize(opts.raw);
  if (events.length === 0) throw new Error("the recorded run normalizes to no events");
  const { targets, skipped } = await benchDatabases();
  const out: Record<string, unknown> = { rawEvents: opts.raw.length, events: events.length, rejected, skipped };
  for (const target of targets) {
    const times = { indexed: [] as number[], plain: [] as number[] };
    let parts = 0;
    for (let rep = 0; rep < opts.repetitions; rep++) {
      // Alternating which goes first: a warmer cache or a busier machine favours neither.
      for (const indexed of rep % 2 === 0 ? [true, false] : [false, true]) {
        const run = await writeOnce(target, events, opts.directory, indexed);
        (indexed ? times.indexed : times.plain).push(run.ms);
        parts = run.parts;
      }
      opts.log(`search index cost ${target.name}: repetition ${rep + 1}, with ${round(times.indexed.at(-1)!)} ms, without ${round(times.plain.at(-1)!)} ms`);
    }
    const withIndex = median(times.indexed);
    const without = median(times.plain);
    // Each repetition's two runs are neighbours in time: their ratio is what a busy machine disturbs least.
    const ratio = median(times.indexed.map((ms, i) => ms / times.plain[i]!));
    out[target.name] = { ...times, withIndexMs: withIndex, withoutMs: without, ratio, parts };
    opts.row(
      `search index ${target.name}`,
      `live writer, ${events.length} events (${parts} parts), ${opts.repetitions} pairs; ratio: median of the pairs' (target <= ${WRITER_TARGET_RATIO}x)`,
      `median ${round(withIndex)} ms, ${ratio <= WRITER_TARGET_RATIO ? "met" : "MISSED"}`,
      `search columns dropped: median ${round(without)} ms`,
      ratio,
    );
  }
  for (const reason of skipped) opts.row("search index", "not measured", "-", "-", reason);
  return out;
}
