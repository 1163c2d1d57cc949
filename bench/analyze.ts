/**
 * What ANALYZE of the archive's big tables costs, with the content columns left out of the
 * statistics (migration 20261206070000_content_without_statistics) against the same tables
 * with them in (the baseline, in the same run: their statistics target set back to the
 * default). On PGlite that statement runs on the app's one thread (server/pglite-statistics.ts
 * analyzes grown tables every 10 minutes), so its time is how long requests wait.
 * Synthetic trees (5 x 10,020 parts, search vectors filled) synced into PGlite on disk and into
 * PostgreSQL when a server answers.
 *   npx tsx --tsconfig tsconfig.node.json bench/analyze.ts   (BENCH_OUT: where the JSON goes)
 */
import { MemorySource, syntheticTree } from "~/server/archive/testing";
import { syncTree } from "~/server/archive/sync";
import { indexPendingParts } from "~/server/search/indexer";
import { benchDatabases } from "./databases";
import { writeResults } from "./results-file";
import { round, summarize } from "./stats";

const TREES = 5;
const ROUNDS = 5;
const CONTENT: Record<string, string[]> = { Part: ["text", "data"], ToolSpan: ["input", "output", "error"], Message: ["data", "error"] };

async function main() {
  const started = Date.now();
  const { targets, skipped } = await benchDatabases({ onDisk: true });
  const rows: string[][] = [];
  const results: Record<string, unknown> = { skipped };
  for (const target of targets) {
    const db = await target.open();
    try {
      const c = db.client;
      await c.runner.create({ data: { id: "bench-analyze", name: "bench", kind: "remote", url: "memory:" } });
      for (let i = 0; i < TREES; i++) {
        const tree = syntheticTree(5, 2000, `ses_00000000000${i}BenchAnalyze`);
        await syncTree(c, new MemorySource(tree), { runnerId: "bench-analyze", rootOpencodeId: tree.root }, {});
      }
      const parts = await indexPendingParts(c);
      const statistics = async (statisticsTarget: number) => {
        for (const [table, columns] of Object.entries(CONTENT)) {
          for (const column of columns) await c.$executeRawUnsafe(`ALTER TABLE "${table}" ALTER COLUMN "${column}" SET STATISTICS ${statisticsTarget}`);
        }
      };
      const times: Record<string, Record<"without" | "with", number[]>> = {};
      // Alternated, so the machine's drift falls on both alike.
      for (let r = 0; r < ROUNDS; r++) {
        for (const mode of ["with", "without"] as const) {
          await statistics(mode === "with" ? -1 : 0);
          for (const table of Object.keys(CONTENT)) {
            const t = performance.now();
            await c.$executeRawUnsafe(`ANALYZE "${table}"`);
            ((times[table] ??= { with: [], without: [] })[mode]).push(performance.now() - t);
          }
        }
      }
      await statistics(0);
      results[target.name] = { parts, times };
      for (const [table, { with: all, without }] of Object.entries(times)) {
        const [a, b] = [summarize(without).p50, summarize(all).p50];
        rows.push([`ANALYZE ${target.name}`, `"${table}" (${parts} parts; median of ${ROUNDS})`, `${round(a)} ms`, `content columns included ${round(b)} ms`, `${round(a / b, 2)}x`]);
      }
    } finally {
      await db.close();
      await db.drop?.();
    }
  }
  for (const reason of skipped) rows.push(["ANALYZE", "not measured", "-", "-", reason]);
  for (const r of rows) console.log(r.join(" | "));
  writeResults("analyze", started, { rows, results });
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
