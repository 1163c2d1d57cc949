/**
 * `npm run db:migrate` (deploy): apply pending migrations to the configured database.
 * `npm run db:migrate:create -- <name>`: write a new migration from the schema changes.
 * Works offline: no native Prisma schema engine involved (see server/migrate/README.md).
 */
import { createDb, dbLocationFromConfig, describeDbLocation } from "~/server/db";
import type { MigrateResult } from "~/server/migrate/apply";
import { createMigration } from "~/server/migrate/create";

const USAGE = "Usage: tsx scripts/db-migrate.ts deploy | create <name>";

async function deploy() {
  const location = dbLocationFromConfig();
  console.log(`Migrating ${describeDbLocation(location)}`);
  const db = await createDb(location, { onMigrated: printResult });
  await db.close();
}

function printResult({ applied, unknown }: MigrateResult) {
  if (applied.length === 0) console.log("Nothing to apply: the database is up to date.");
  for (const name of applied) console.log(`Applied ${name}`);
  if (unknown.length > 0) {
    console.warn(`Applied in the database but not in prisma/migrations: ${unknown.join(", ")}`);
  }
}

async function create(name: string | undefined) {
  const file = await createMigration({ name });
  console.log(`Created ${file}\nReview it, then apply it with: npm run db:migrate`);
}

async function main() {
  const [command, name] = process.argv.slice(2);
  if (command === "deploy") return deploy();
  if (command === "create") return create(name);
  throw new Error(USAGE);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
