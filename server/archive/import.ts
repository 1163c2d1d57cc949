import path from "node:path";
import type { PrismaClient } from "~/server/generated/prisma/client";
import type { ChangeSink } from "~/server/hub/change-feed";
import type { Logger } from "~/server/log";
import { ArchiveError, errorMessage } from "./errors";
import { isImportedRunner } from "./imported-runner";
import { SqliteSource } from "./sqlite-source";
import { syncTree } from "./sync";

// Import: rebuilds archives from an opencode SQLite database, so sessions of a runtime that is
// gone can be read. Every tree goes through the same full sync as a live runner's (planning
// with the Normalizer, writing with the store's applyEvent), hence re-importing is idempotent.
// No SDK here: this runs from `npm run import` (tsx, CommonJS) as well as from the app.

export type ImportOptions = {
  /** Name of the Runner row standing for the gone runtime (default: the file's name). */
  runnerName?: string;
  log?: Pick<Logger, "info" | "warn">;
  /** Told about each tree as it is imported (the app's dashboards; the CLI has none). */
  changes?: ChangeSink;
  /** How errors and the Runner row name the source (an upload's own name; default: the path). */
  displayName?: string;
};

export type ImportReport = {
  runnerId: string;
  runnerName: string;
  trees: number;
  sessions: number;
  changes: number;
  failed: { root: string; error: string }[];
  /** Messages and parts of the file whose data could not be read, left out. */
  unreadable: number;
};

/** The Runner row of an imported runtime (isImportedRunner); an existing live runner is refused. */
export async function importRunner(db: PrismaClient, name: string, source: string): Promise<{ id: string; name: string }> {
  const existing = await db.runner.findUnique({ where: { name }, select: { id: true, name: true, kind: true, status: true } });
  if (existing) {
    if (isImportedRunner(existing)) return existing;
    throw new ArchiveError(
      "invalid",
      `A runner named "${name}" is in use (${existing.kind}, ${existing.status}); import under another name (--runner-name).`,
      undefined,
      "runner-name",
    );
  }
  return db.runner.upsert({
    where: { name },
    create: { name, kind: "remote", status: "stopped", url: source },
    update: {},
    select: { id: true, name: true },
  });
}

export async function importOpencodeDb(db: PrismaClient, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const source = await SqliteSource.open(file, options.displayName);
  try {
    const runnerName = (options.runnerName ?? path.basename(file)).trim().slice(0, 100) || "imported";
    const runner = await importRunner(db, runnerName, options.displayName ? `upload:${options.displayName}` : `file://${path.resolve(file)}`);
    const report: ImportReport = { runnerId: runner.id, runnerName, trees: 0, sessions: 0, changes: 0, failed: [], unreadable: source.unreadableRows() };
    if (report.unreadable > 0) options.log?.warn(`[import] ${report.unreadable} message or part row(s) of the file hold no readable data (not JSON): left out`);
    for (const root of source.roots()) {
      try {
        const outcome = await syncTree(db, source, { runnerId: runner.id, rootOpencodeId: root }, { retries: 1, additive: true });
        report.trees++;
        report.sessions += outcome.sessions;
        report.changes += outcome.changes;
        options.changes?.notify([outcome.rootId]);
        options.log?.info(`[import] ${root}: ${outcome.sessions} session(s), ${outcome.changes} change(s)`);
      } catch (error) {
        report.failed.push({ root, error: errorMessage(error) });
        options.log?.warn(`[import] ${root} failed: ${errorMessage(error)}`);
      }
    }
    return report;
  } finally {
    source.close();
  }
}
