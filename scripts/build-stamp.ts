import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

// What a production build depends on; a change to any of these means `npm start` rebuilds.
const inputs = ["app", "components", "server", "proxy.ts", "prisma/schema.prisma", "next.config.ts", "instrumentation.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"];
const skipped = new Set(["node_modules", "generated", ".next"]);

function* files(entry: string): Generator<string> {
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    yield entry;
    return;
  }
  for (const name of readdirSync(entry).sort()) {
    if (!skipped.has(name)) yield* files(path.join(entry, name));
  }
}

export function buildStamp(root: string): string {
  const hash = createHash("sha256");
  for (const input of inputs) {
    for (const file of files(path.join(root, input))) {
      hash.update(path.relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
    }
  }
  return hash.digest("hex");
}
