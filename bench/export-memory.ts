/**
 * What an export needs in memory, apart from what V8 takes when it may: each export (HTML and
 * JSON, of synthetic trees of about 1,000, 10,000 and 20,000 parts synced into a scratch
 * PostgreSQL database) runs in fresh Node processes with the heap's old space capped at
 * growing sizes (CAPS_MB), and the row gives the smallest cap it completes in: as the archive's
 * download runs (server/archive/export-source.ts: the outline, then a window of turns at a time),
 * against the baseline of the same file from the tree read whole; and a share link's files
 * (server/share/download.ts) against the same file from the shared tree read whole. Uncapped, the app's RSS grows
 * with what an export allocates, garbage included (the `npm run bench` export rows), which
 * says little about what it holds.
 *   npx tsx --tsconfig tsconfig.node.json bench/export-memory.ts   (BENCH_OUT: where the JSON goes)
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createDb } from "~/server/db";
import { loadArchivedTree } from "~/server/archive/read";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { openSharedDownload } from "~/server/share/download";
import { SharedFindings } from "~/server/share/findings-cache";
import { INCLUDE_ALL } from "~/server/share/links";
import { createRedactor } from "~/server/share/redact";
import { redactWith, stringsToRedact } from "~/server/share/shared-tree";
import { loadExportOutline, readExportTurns, treeSource, type ExportSource } from "~/server/archive/export-source";
import { syncTree } from "~/server/archive/sync";
import { MemorySource, syntheticTree } from "~/server/archive/testing";
import { exportJsonText } from "~/server/archive/export";
import { textStream } from "~/server/archive/download-response";
import { exportHtmlFile } from "~/components/archive/export-file";
import { postgresUnreachable, scratchPostgres } from "./databases";
import { writeResults } from "./results-file";
import { round } from "./stats";

const CAPS_MB = [64, 96, 128, 192, 256, 384, 512];
const TURNS = [2, 20, 40];
const TOOLS_PER_TURN = 500;

type Run = { ok: true; ms: number; bytes: number; peakRssMb: number } | { ok: false; error: string };

type Read = "windows" | "whole" | "share-pieces" | "share-whole";

/** The export's source as each way of downloading gets it (`share-`: a share link's file, redacted, everything included). */
async function opened(db: PrismaClient, rootId: string, read: Read): Promise<ExportSource> {
  const link = { id: randomUUID(), sessionId: rootId, include: INCLUDE_ALL };
  const redactor = createRedactor({ exactValues: [] });
  if (read === "share-pieces") {
    const download = await openSharedDownload({ db, shareFindings: new SharedFindings() }, link, redactor);
    return treeSource(download.tree, download.parts);
  }
  if (read === "share-whole") {
    // What share links sent before they were paged and downloaded in pieces: the whole tree, redacted at once.
    const tree = await loadArchivedTree(db, rootId);
    return treeSource(redactWith(await redactor.collect(stringsToRedact(tree)), tree));
  }
  if (read === "whole") return treeSource(await loadArchivedTree(db, rootId));
  return { ...(await loadExportOutline(db, rootId)), turns: (ids, bare) => readExportTurns(db, rootId, ids, bare) };
}

/** In the capped child: one export, drained as a download is, with its peak RSS growth. */
async function child(url: string, rootId: string, format: "html" | "json", read: Read) {
  const db = await createDb({ url });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const source = await opened(db.client, rootId, read);
  const body = format === "html" ? exportHtmlFile(source) : textStream(exportJsonText(source));
  let bytes = 0;
  const reader = body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
  clearInterval(sampler);
  const run: Run = { ok: true, ms: performance.now() - started, bytes, peakRssMb: peak / 2 ** 20 };
  process.stdout.write(`${JSON.stringify(run)}\n`);
  await db.close();
  process.exit(0);
}

function capped(capMb: number, url: string, rootId: string, format: string, read: string): Run {
  const result = spawnSync(process.execPath, [`--max-old-space-size=${capMb}`, "--import", "tsx", __filename, "child", url, rootId, format, read], {
    env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.node.json" },
    encoding: "utf8",
    timeout: 10 * 60_000,
  });
  const line = result.stdout.trim().split("\n").at(-1) ?? "";
  if (result.status === 0 && line.startsWith("{")) return JSON.parse(line) as Run;
  const oom = /heap out of memory/.test(result.stderr);
  return { ok: false, error: oom ? "out of memory" : `exit ${result.status}: ${result.stderr.trim().split("\n").at(-1)}` };
}

/** The smallest cap the export completes in, and that run (or the largest cap's failure). */
function smallestCap(url: string, rootId: string, format: string, read: string) {
  let run: Run = { ok: false, error: "not run" };
  for (const capMb of CAPS_MB) {
    run = capped(capMb, url, rootId, format, read);
    if (run.ok) return { capMb, run };
  }
  return { capMb: null, run };
}

const shown = ({ capMb, run }: ReturnType<typeof smallestCap>) =>
  run.ok ? `fits in ${capMb} MB (${round(run.ms)} ms, peak RSS ${round(run.peakRssMb)} MB)` : `not in ${CAPS_MB.at(-1)} MB: ${run.error}`;

async function main() {
  const unreachable = await postgresUnreachable();
  if (unreachable) throw new Error(`export memory bench needs PostgreSQL: ${unreachable}`);
  const scratch = await scratchPostgres();
  const rows: { section: string; measure: string; flightdeck: string; baseline: string; ratio: string }[] = [];
  const results: Record<string, unknown>[] = [];
  const started = Date.now();
  try {
    const db = await createDb({ url: scratch.url });
    const runnerId = (await db.client.runner.create({ data: { name: `bench-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
    const roots: { parts: number; rootId: string }[] = [];
    for (const turns of TURNS) {
      const tree = syntheticTree(turns, TOOLS_PER_TURN, `ses_${String(turns).padStart(13, "0")}SyntheticRoot`);
      await syncTree(db.client, new MemorySource(tree), { runnerId, rootOpencodeId: tree.root });
      const rootId = (await db.client.session.findFirstOrThrow({ where: { runnerId, opencodeId: tree.root } })).id;
      roots.push({ parts: await db.client.part.count({ where: { sessionId: rootId } }), rootId });
    }
    await db.close();
    for (const { parts, rootId } of roots) {
      for (const format of ["html", "json"] as const) {
        console.log(`export memory: ${format} of ${parts} parts`);
        for (const [file, reads] of [["export", ["windows", "whole"]], ["share link download", ["share-pieces", "share-whole"]]] as const) {
          const pieces = smallestCap(scratch.url, rootId, format, reads[0]);
          const whole = smallestCap(scratch.url, rootId, format, reads[1]);
          results.push({ parts, format, file, standIns: pieces, whole });
          const ratio = pieces.capMb && whole.capMb ? `${round(pieces.capMb / whole.capMb, 2)}x` : "-";
          rows.push({ section: "export memory", measure: `${format.toUpperCase()} ${file} of ${parts} parts: smallest heap (old space) it completes in`, flightdeck: shown(pieces), baseline: `tree read whole: ${shown(whole)}`, ratio });
        }
      }
    }
  } finally {
    await scratch.drop();
  }
  for (const r of rows) console.log([r.section, r.measure, r.flightdeck, r.baseline, r.ratio].join(" | "));
  writeResults("export-memory", started, { capsMb: CAPS_MB, rows, results });
  process.exit(0);
}

const [mode, url, rootId, format, read] = process.argv.slice(2);
(mode === "child" ? child(url!, rootId!, format as "html" | "json", read as Read) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
