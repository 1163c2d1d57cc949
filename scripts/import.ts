/**
 * `npm run import -- <path to opencode.db> [--runner-name NAME]`: rebuilds the archives of every
 * session tree in an opencode SQLite database into Flightdeck's database (the configured one:
 * DATABASE_URL, or the embedded PGlite under FLIGHTDECK_DATA_DIR, which must not be in use by a
 * running app; use the admin upload in the app then). Re-importing the same file changes nothing.
 */
import fs from "node:fs";
import { closeDb, dbLocationFromConfig, describeDbLocation, getDb, refreshStatistics } from "~/server/db";
import { importOpencodeDb } from "~/server/archive/import";

const USAGE = "Usage: npm run import -- <path to opencode.db> [--runner-name NAME]";

function parseArgs(argv: string[]): { file: string; runnerName?: string } {
  let file: string | undefined;
  let runnerName: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--runner-name") runnerName = argv[++i];
    else if (arg.startsWith("--runner-name=")) runnerName = arg.slice("--runner-name=".length);
    else if (arg === "--help" || arg === "-h") throw new Error(USAGE);
    else if (!file) file = arg;
    else throw new Error(`Unexpected argument ${arg}\n${USAGE}`);
  }
  if (!file) throw new Error(USAGE);
  if (runnerName !== undefined && !runnerName.trim()) throw new Error(`--runner-name needs a name\n${USAGE}`);
  return { file, runnerName };
}

async function main() {
  const { file, runnerName } = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
  console.log(`Importing ${file} into ${describeDbLocation(dbLocationFromConfig())}`);
  const db = await getDb();
  const report = await importOpencodeDb(db, file, { runnerName, log: console });
  console.log(
    `Imported ${report.trees} session tree(s), ${report.sessions} session(s), ${report.changes} change(s) ` +
      `under runner "${report.runnerName}" (${report.runnerId}).`,
  );
  for (const failure of report.failed) console.error(`Failed: ${failure.root}: ${failure.error}`);
  if (report.unreadable > 0) console.error(`Left out: ${report.unreadable} message or part row(s) of the file hold no readable data (not JSON).`);
  // What the app's queries are planned with; PGlite has no autovacuum to do it later.
  const analyzed = await refreshStatistics();
  if (analyzed.length > 0) console.log(`Updated the planner's statistics of ${analyzed.length} table(s).`);
  process.exitCode = report.failed.length > 0 ? 1 : 0;
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
