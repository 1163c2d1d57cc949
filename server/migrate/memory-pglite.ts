import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

// A new in-memory PGlite runs initdb: seconds of CPU, paid by every test suite and every
// schema diff. Restoring an image of a freshly initialised database is several times faster.
// The image is cached in the temp dir per PGlite version, shared by all processes (test
// workers run in parallel), and written under a temporary name then renamed so nobody reads
// half a file.

/** A new, empty PGlite database in memory. */
export async function openMemoryPglite(): Promise<PGlite> {
  const image = emptyImagePath();
  if (fs.existsSync(image)) {
    try {
      const db = new PGlite({ loadDataDir: new Blob([fs.readFileSync(image)]) });
      await db.waitReady;
      return db;
    } catch {
      fs.rmSync(image, { force: true }); // unreadable: start afresh and write a new one
    }
  }
  const db = new PGlite();
  await db.waitReady;
  const dump = await db.dumpDataDir("none");
  const partial = `${image}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, image);
  return db;
}

function emptyImagePath(): string {
  const packageDir = path.resolve(
    path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite")),
    "..",
  );
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
  return path.join(os.tmpdir(), `flightdeck-pglite-${version}-empty.tar`);
}
