/**
 * Search and usage over a large archive (issue 18), through the app users run (`npm start`,
 * runner off) on PGlite and on PostgreSQL: `search.query` latency over a mix of queries, the
 * Usage page's server render, and what keeping the search index current costs the live writer.
 *
 * The archive is made as an operator would: the one tree grown through the runner
 * (search-source.ts) is copied into opencode.db files with new ids (tree-copies.ts) and those are
 * imported with `npm run import` (import-copies.ts). Baselines: the same queries on a database
 * holding one copy of the tree (what the archive's size costs), the dashboard `/` on the same
 * server (the Usage page), the writer with the search columns dropped (the index).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "~/server/db";
import type { SearchInput } from "~/server/search/input";
import type { SearchPage } from "~/server/search/search";
import { loadPage, type Row } from "./archived-view";
import { trpcQuery, type AppClient } from "./client";
import { postgresUnreachable, scratchPostgres } from "./databases";
import { importCopies, type ImportTarget } from "./import-copies";
import { signIn, startNext } from "./next-app";
import { benchIndexWriteCost } from "./search-index-cost";
import { MARKER_PLACEHOLDER, type SearchSource } from "./search-source";
import { round, summarize } from "./stats";
import { sleep } from "./wait";
import { writeTreeCopies } from "./tree-copies";

export const SEARCH_TARGETS = { searchP95Ms: { PGlite: 500, PostgreSQL: 200 }, usageMs: 500 } as const;

const PER_FILE = 100;
/** The copies are spread over this period before the original: a date range selects some of them. */
const PERIOD_MS = 28 * 24 * 3600_000;
const SAMPLES = 20;
const PAGE_LOADS = 10;
const LIMIT = 20;

const marker = (copy: number) => `benchcopy${String(copy).padStart(4, "0")}`;
const runnerName = (file: number) => `bench-search-${String(file).padStart(2, "0")}`;

// Every bench query has words (filters alone list trees without ranking any part).
type Words = SearchInput & { q: string };
type Query = { kind: string; input: (sample: number) => Words; check: (result: SearchPage, input: Words) => string | undefined };

/**
 * What every copy holds (the Demo model's own words): a word in a few parts of each tree, one in
 * nearly every part (the `read` tool's name: ranking is capped, see server/search), a phrase and
 * a prefix.
 */
const EVERY_TREE = { word: "reasoning", everywhere: "read", phrase: '"streaming plain text"', prefix: "stream*" } as const;

function queryMix(trees: number, runner: { id: string; name: string }, generatedAt: number): Query[] {
  const full = Math.min(LIMIT, trees);
  const page = (result: SearchPage) => (result.trees.length === full ? undefined : `expected a full page of ${full} trees, got ${result.trees.length}`);
  return [
    {
      kind: `rare word (1 tree of ${trees})`,
      // A different copy each time: no answer is the previous one again.
      input: (i) => ({ q: marker((i * 7919) % trees) }),
      check: (result, input) =>
        result.trees.length === 1 && result.trees[0]!.title.includes(input.q) ? undefined : `"${input.q}": expected its one tree, got ${result.trees.length} (${result.trees[0]?.title})`,
    },
    { kind: `common word, a few parts of every tree: ${EVERY_TREE.word}`, input: () => ({ q: EVERY_TREE.word }), check: page },
    { kind: `common word, nearly every part: ${EVERY_TREE.everywhere}`, input: () => ({ q: EVERY_TREE.everywhere }), check: page },
    { kind: `phrase: ${EVERY_TREE.phrase}`, input: () => ({ q: EVERY_TREE.phrase }), check: page },
    { kind: `prefix: ${EVERY_TREE.prefix}`, input: () => ({ q: EVERY_TREE.prefix }), check: page },
    {
      kind: `${EVERY_TREE.everywhere}, runner + last 14 days`,
      input: () => ({ q: EVERY_TREE.everywhere, filters: { runnerId: runner.id, from: new Date(generatedAt - PERIOD_MS / 2).toISOString(), to: new Date().toISOString() } }),
      check: (result) =>
        result.trees.length > 0 && result.trees.every((t) => t.runnerName === runner.name) ? undefined : `expected trees of ${runner.name} only, got ${result.trees.map((t) => t.runnerName).join(", ") || "none"}`,
    },
  ];
}

/** Every query of the mix `SAMPLES` times, interleaved (after one warm-up each): latencies by kind. */
async function measureQueries(client: AppClient, mix: Query[]) {
  const ms: Record<string, number[]> = Object.fromEntries(mix.map((q) => [q.kind, []]));
  const problems = new Set<string>();
  const run = async (query: Query, sample: number) => {
    const input = { limit: LIMIT, ...query.input(sample) };
    const t = performance.now();
    const result = await trpcQuery<SearchPage>(client, "search.query", input);
    const took = performance.now() - t;
    const problem = query.check(result, input);
    if (problem) problems.add(`${query.kind}: ${problem}`);
    return took;
  };
  for (const query of mix) await run(query, SAMPLES);
  for (let i = 0; i < SAMPLES; i++) for (const query of mix) ms[query.kind]!.push(await run(query, i));
  return { byKind: Object.fromEntries(Object.entries(ms).map(([kind, values]) => [kind, summarize(values)])), all: summarize(Object.values(ms).flat()), problems: [...problems] };
}

type Database = { name: "PGlite" | "PostgreSQL"; big: ImportTarget; one: ImportTarget; drop: () => Promise<void> };

async function databases(workDir: string): Promise<{ list: Database[]; skipped?: string }> {
  const local = (name: string): ImportTarget => ({ dataDir: path.join(workDir, name), databaseUrl: null });
  const list: Database[] = [{ name: "PGlite", big: local("pglite-big"), one: local("pglite-one"), drop: async () => {} }];
  const unreachable = await postgresUnreachable();
  if (unreachable) return { list, skipped: unreachable };
  const [big, one] = [await scratchPostgres(), await scratchPostgres()];
  list.push({
    name: "PostgreSQL",
    big: { dataDir: path.join(workDir, "postgres-big"), databaseUrl: big.url },
    one: { dataDir: path.join(workDir, "postgres-one"), databaseUrl: one.url },
    drop: async () => void (await Promise.all([big.drop(), one.drop()])),
  });
  return { list };
}

const ANALYZE_WAIT_MS = 180_000;

/** The database an import wrote, opened by the bench while no app holds it. */
const openTarget = (target: ImportTarget) => createDb(target.databaseUrl ? { url: target.databaseUrl } : { pgliteDir: path.join(target.dataDir, "pglite") });

/**
 * What the import left in the database (trees and parts, counted there), once it is as a server
 * would hold it. The planner's statistics decide the query plans: on PostgreSQL, autovacuum
 * analyzes the tables after a large import (waited for, up to 3 minutes), or, on a server that
 * runs without it (test servers often do), the bench runs ANALYZE in its place. PGlite has no
 * autovacuum: `npm run import` and the app analyze what grew (server/pglite-statistics.ts); the
 * row says whether they did.
 */
async function settle(target: ImportTarget) {
  const db = await openTarget(target);
  const query = <T>(sql: string) => db.client.$queryRawUnsafe<T[]>(sql);
  try {
    const [counts] = await query<{ trees: bigint; parts: bigint }>(
      `SELECT (SELECT count(*) FROM "Session" WHERE "rootId" = id) AS trees, (SELECT count(*) FROM "Part") AS parts`,
    );
    const size = { trees: Number(counts!.trees), parts: Number(counts!.parts) };
    if (!target.databaseUrl) {
      const [{ analyzed }] = (await query<{ analyzed: bigint }>(
        `SELECT count(*) AS analyzed FROM pg_class WHERE relname IN ('Part', 'Session') AND reltuples >= 0`,
      )) as [{ analyzed: bigint }];
      return { ...size, statistics: Number(analyzed) === 2 ? "analyzed (PGlite: npm run import and the app analyze what grew)" : "NOT analyzed (PGlite)" };
    }
    const [{ autovacuum }] = (await query<{ autovacuum: string }>("SHOW autovacuum")) as [{ autovacuum: string }];
    if (autovacuum !== "on") {
      await db.client.$executeRawUnsafe(`ANALYZE "Part", "Session"`);
      return { ...size, statistics: "ANALYZE by the bench (the server's autovacuum is off)" };
    }
    const analyzed = async () =>
      Number(
        (await query<{ n: bigint }>(`SELECT count(*) AS n FROM pg_stat_user_tables WHERE relname IN ('Part', 'Session') AND last_autoanalyze IS NOT NULL`))[0]!.n,
      ) === 2;
    const t = performance.now();
    while (!(await analyzed())) {
      if (performance.now() - t > ANALYZE_WAIT_MS) return { ...size, statistics: `not analyzed by autovacuum within ${ANALYZE_WAIT_MS / 1000} s` };
      await sleep(5_000);
    }
    return { ...size, statistics: `analyzed by autovacuum ${round((performance.now() - t) / 1000)} s after the import` };
  } finally {
    await db.close();
  }
}

/** `npm start` on `target` (runner off), signed in as the bench's admin, for `work`. */
async function withApp<T>(target: ImportTarget, port: number, work: (client: AppClient, cookie: { name: string; value: string }) => Promise<T>): Promise<T> {
  const next = await startNext(port, target.dataDir, { databaseUrl: target.databaseUrl });
  try {
    const base = `http://127.0.0.1:${port}`;
    const cookie = await signIn(base);
    return await work({ base, cookie: `${cookie.name}=${cookie.value}` }, cookie);
  } finally {
    await next.stop();
  }
}

const runnerOf = async (client: AppClient, name: string) => {
  const runner = (await trpcQuery<{ id: string; name: string }[]>(client, "runner.list", undefined)).find((r) => r.name === name);
  if (!runner) throw new Error(`no runner named ${name} after the import`);
  return runner;
};

const figure = (s: { p50: number; p95: number }) => `${round(s.p50)} / ${round(s.p95)} ms`;
const verdict = (met: boolean) => (met ? "met" : "MISSED");

type Latencies = Awaited<ReturnType<typeof measureQueries>>;

/** The Usage page to the last byte, against the dashboard on the same server, and the one query it asks. */
async function measureUsage(client: AppClient, cookie: { name: string; value: string }) {
  const page = async (url: string) => {
    const loads = await loadPage(url, cookie, PAGE_LOADS);
    return { ...summarize(loads.ms), bytes: loads.bytes };
  };
  const report = async () => {
    const ms: number[] = [];
    for (let i = 0; i <= PAGE_LOADS; i++) {
      const t = performance.now();
      await trpcQuery(client, "usage.report", {});
      if (i > 0) ms.push(performance.now() - t);
    }
    return summarize(ms);
  };
  // What does not answer is a result too (say, a 404 before the Usage page exists).
  const failed = (error: Error) => ({ error: error.message });
  return { usage: await page(`${client.base}/usage`).catch(failed), report: await report().catch(failed), dashboard: await page(`${client.base}/`) };
}

function searchRows(row: Row, name: Database["name"], trees: number, big: Latencies, one: Latencies) {
  const target = SEARCH_TARGETS.searchP95Ms[name];
  const section = `search ${name}`;
  const kinds = Object.keys(big.byKind).length;
  row(
    section,
    `search.query p50/p95, ${kinds} queries x ${SAMPLES}, ${trees} trees (target p95 <= ${target} ms)`,
    `${figure(big.all)}, ${verdict(big.all.p95 <= target)}`,
    `1 tree: ${figure(one.all)}`,
    big.all.p95 / one.all.p95,
  );
  for (const [i, [kind, stats]] of Object.entries(big.byKind).entries()) {
    const baseline = Object.values(one.byKind)[i]!;
    row(section, `  ${kind}`, figure(stats), `1 tree: ${figure(baseline)}`, stats.p95 / baseline.p95);
  }
  const problems = [...big.problems, ...one.problems.map((p) => `1 tree: ${p}`)];
  for (const problem of problems) row(section, "WRONG RESULTS", "-", "-", problem);
}

function usageRows(row: Row, name: Database["name"], measured: Awaited<ReturnType<typeof measureUsage>>) {
  const { usage, report, dashboard } = measured;
  const measure = `GET /usage, server render to the last byte, p50/p95 of ${PAGE_LOADS} (target <= ${SEARCH_TARGETS.usageMs} ms)`;
  if ("error" in usage) row(`usage ${name}`, measure, "not measured", `GET / (dashboard) ${figure(dashboard)}`, usage.error);
  else row(`usage ${name}`, measure, `${figure(usage)}, ${verdict(usage.p95 <= SEARCH_TARGETS.usageMs)}`, `GET / (dashboard) ${figure(dashboard)}`, usage.p95 / dashboard.p95);
  const reportMeasure = `usage.report (tRPC, the page's default 30 days) p50/p95 of ${PAGE_LOADS}`;
  if ("error" in report) row(`usage ${name}`, reportMeasure, "not measured", "-", report.error);
  else row(`usage ${name}`, reportMeasure, figure(report), "-", "-");
}

export async function benchSearch(opts: { source: SearchSource; trees: number; port: number; writerRepetitions: number; row: Row; log: (line: string) => void }) {
  const { source, trees, row, log } = opts;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-bench-search-"));
  const out: Record<string, unknown> = { sourceParts: source.parts, growMs: source.growMs };
  const { list, skipped } = await databases(workDir);
  try {
    log(`search: writing ${trees} copies of the ${source.parts}-part tree into opencode.db files`);
    const copyOptions = { source: source.database, root: source.rootOpencodeId, placeholder: MARKER_PLACEHOLDER, marker, spreadMs: PERIOD_MS / trees };
    const copies = writeTreeCopies({ ...copyOptions, outDir: path.join(workDir, "copies"), copies: trees, perFile: PER_FILE });
    const single = writeTreeCopies({ ...copyOptions, outDir: path.join(workDir, "single"), copies: 1, perFile: 1 });
    const generatedAt = Date.now();
    out.copies = { files: copies.files.length, partsPerCopy: copies.partsPerCopy, sessionsPerCopy: copies.sessionsPerCopy, ms: copies.ms };
    row(
      "search data",
      `${trees} copies of one ${copies.partsPerCopy}-part tree (${copies.sessionsPerCopy} sessions), new ids, ${copies.files.length} opencode.db files`,
      `written in ${round(copies.ms / 1000)} s`,
      `source grown through the runner in ${round(source.growMs / 1000)} s (${source.turns} turns)`,
      "-",
    );

    // The databases take their imports side by side: each chain is one process at a time.
    log(`search: importing into ${list.map((d) => d.name).join(" and ")} (npm run import, ${copies.files.length} files each)`);
    await Promise.all(
      list.map(async (db) => {
        const big = await importCopies(db.big, copies.files, runnerName, (line) => log(`search import ${db.name}: ${line}`));
        await importCopies(db.one, single.files, runnerName, () => {});
        const [size, one] = [await settle(db.big), await settle(db.one)];
        out[`${db.name}_import`] = { ...big, ...size, one };
        row(`search data ${db.name}`, `npm run import, ${copies.files.length} files, one after another`, `${round(big.ms / 1000)} s`, "-", "-");
        row(
          `search data ${db.name}`,
          "archive after the import",
          `${size.trees} trees, ${size.parts.toLocaleString("en-US")} parts; ${size.statistics}`,
          `asked: ${trees} x ${copies.partsPerCopy} parts`,
          "-",
        );
      }),
    );

    for (const db of list) {
      log(`search: measuring on ${db.name}, ${trees} trees`);
      const mixOn = async (client: AppClient, size: number) => queryMix(size, await runnerOf(client, runnerName(0)), generatedAt);
      const big = await withApp(db.big, opts.port, async (client, cookie) => {
        const search = await measureQueries(client, await mixOn(client, trees));
        log(`search: /usage and / on ${db.name}, ${PAGE_LOADS} loads each`);
        return { search, ...(await measureUsage(client, cookie)) };
      });
      log(`search: the same queries on ${db.name} holding one tree`);
      const one = await withApp(db.one, opts.port, async (client) => measureQueries(client, await mixOn(client, 1)));
      out[db.name] = { big, one };
      searchRows(row, db.name, trees, big.search, one);
      usageRows(row, db.name, big);
    }
    if (skipped) row("search", "PostgreSQL not measured", "-", "-", skipped);

    log(`search: what keeping the index current costs the live writer (${source.events.length} runner events)`);
    out.writer = await benchIndexWriteCost({ raw: source.events, directory: source.directory, repetitions: opts.writerRepetitions, row, log });
  } finally {
    for (const db of list) await db.drop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  return out;
}
