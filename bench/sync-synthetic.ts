/**
 * The archive sync rows of `npm run bench` (bench/sync.ts) on a synthetic 10,000-part tree held
 * in memory (server/archive/testing.ts `syntheticTree`: every tool input and prompt holds text
 * PostgreSQL refuses, so every row is encoded), for when a tree cannot be grown through the
 * runner. Its baseline is a copy of the tree in memory, not a runner's answer.
 *   npx tsx --tsconfig tsconfig.node.json bench/sync-synthetic.ts   (BENCH_OUT: where the JSON goes)
 */
import { appendTextTurn, MemorySource, syntheticTree } from "~/server/archive/testing";
import { writeResults } from "./results-file";
import { round } from "./stats";
import { benchArchiveSync } from "./sync";

const TURNS = 5;
const TOOLS_PER_TURN = 2000;

async function main() {
  const tree = syntheticTree(TURNS, TOOLS_PER_TURN);
  const session = tree.sessions[0]!;
  const parts = (session.messages as { parts: unknown[] }[]).reduce((n, m) => n + m.parts.length, 0);
  const source = new MemorySource(tree);
  const rows: { section: string; measure: string; flightdeck: string; baseline: string; ratio: string }[] = [];
  const started = Date.now();
  const results = await benchArchiveSync({
    source,
    sourceName: "memory (synthetic)",
    runnerId: "bench-synthetic",
    runnerUrl: "memory:",
    opencodeId: tree.root,
    parts,
    oneMoreTurn: async (round) => appendTextTurn(session.messages, tree.root, 1_900_000_000_000 + round * 100),
    row: (section, measure, flightdeck, baseline, ratio) =>
      rows.push({ section, measure, flightdeck, baseline, ratio: typeof ratio === "number" ? `${round(ratio, 2)}x` : ratio }),
  });
  for (const r of rows) console.log([r.section, r.measure, r.flightdeck, r.baseline, r.ratio].join(" | "));
  writeResults("sync-synthetic", started, { tree: { kind: "syntheticTree", turns: TURNS, toolsPerTurn: TOOLS_PER_TURN, parts }, rows, results });
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
