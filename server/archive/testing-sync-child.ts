/**
 * Test-only child process (kill.integration.test.ts): opens the database named by
 * FLIGHTDECK_TEST_DB (JSON DbLocation), runs a full sync of the tree in FLIGHTDECK_TEST_SOURCE_TREE
 * for runner FLIGHTDECK_TEST_RUNNER, and stops inside the sync's transaction, after every write
 * and before the commit, printing "IN-COMMIT" so that the test can SIGKILL it right there.
 */
import fs from "node:fs";
import { createDb, type DbLocation } from "~/server/db";
import type { SourceTree } from "./source";
import { syncTree } from "./sync";
import { MemorySource } from "./testing";

async function main() {
  const location = JSON.parse(process.env.FLIGHTDECK_TEST_DB!) as DbLocation;
  const sourceTree = JSON.parse(fs.readFileSync(process.env.FLIGHTDECK_TEST_SOURCE_TREE!, "utf8")) as SourceTree;
  const db = await createDb(location, { migrate: false });
  await syncTree(db.client, new MemorySource(sourceTree), { runnerId: process.env.FLIGHTDECK_TEST_RUNNER!, rootOpencodeId: sourceTree.root }, {
    hooks: {
      beforeCommit: async () => {
        process.stdout.write("IN-COMMIT\n");
        await new Promise(() => {}); // until killed
      },
    },
  });
  process.stdout.write("COMMITTED\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
