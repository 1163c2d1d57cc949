import { loadArchivedTree, type ArchivedPart } from "~/server/archive/read";
import { PARTS_PER_READ, readWholeParts } from "~/server/archive/stand-ins";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { partWrites, treeVersion, type SharedFindings, type TreeScan } from "./findings-cache";
import type { Include } from "./links";
import { projectPart, projectTree } from "./project";
import type { Findings, Redactor } from "./redact";
import { holdBackPart, stringsToRedact } from "./shared-tree";

// What a link's pages and files redact with: what secretlint finds anywhere in the link's tree
// (a value named on one page and repeated bare on another), read a batch of parts at a time and
// kept per link while the tree is unchanged (findings-cache.ts).

type Link = { id: string; sessionId: string; include: Include };

export type SharedOutline = Awaited<ReturnType<typeof sharedOutline>>;

/** The link's tree as it shows it: the outline (parts as stand-ins), and its whole parts by row id (those the projection left out are not read). */
export async function sharedOutline(db: PrismaClient, link: Omit<Link, "id">) {
  const outline = projectTree(await loadArchivedTree(db, link.sessionId, { parts: "stand-ins" }), link.include);
  // Only what the projection kept can be asked for: not the reasoning or the sub-agents it left out.
  const shown = new Set<string>();
  const running = new Set<string>();
  for (const session of Object.values(outline.sessions)) {
    for (const turn of session.turns) {
      for (const part of turn.messages.flatMap((m) => m.parts)) {
        shown.add(part.id);
        if (turn.status === "running") running.add(part.id);
      }
    }
  }
  const rootId = outline.root.id;
  const read = async (ids: string[]): Promise<ArchivedPart[]> =>
    (await readWholeParts(db, rootId, ids.filter((id) => shown.has(id)))).map((part) => {
      const projected = projectPart(part, link.include);
      return running.has(part.id) ? holdBackPart(projected) : projected;
    });
  return { outline, read, shown, running };
}

/**
 * Reads every part of the link's tree once, a batch at a time, projected as the link shows it,
 * for what secretlint finds anywhere in it. With `since` (an earlier scan of the same link), only
 * the parts written since it read them, the new ones and those of a running turn are read, and
 * its findings are kept: a link's findings grow while the tree streams (findings-cache.ts).
 * `outline` reads the link's outline for a caller that needs it too (a download), once; it is
 * asked for here after the parts' last writes, as the scan reads it itself, so a part written
 * meanwhile is read again next time.
 */
export async function scanSharedTree(
  db: PrismaClient,
  link: Omit<Link, "id">,
  redactor: Redactor,
  { batch = PARTS_PER_READ, since, outline: given }: { batch?: number; since?: TreeScan; outline?: () => Promise<SharedOutline> } = {},
): Promise<TreeScan> {
  const startedAt = Date.now();
  const writes = await partWrites(db, link.sessionId);
  const { outline, read, shown, running } = await (given?.() ?? sharedOutline(db, link));
  // A part written after `writes` was read has no entry there: it is read now and again next time.
  const unchanged = (id: string) => !running.has(id) && writes.has(id) && since?.parts.get(id) === writes.get(id);
  const ids = [...shown].filter((id) => !unchanged(id));
  const found = await redactor.findIn(
    (async function* () {
      yield stringsToRedact(outline);
      for (let from = 0; from < ids.length; from += batch) yield stringsToRedact(await read(ids.slice(from, from + batch)));
    })(),
  );
  const findings = since ? new Map([...since.findings, ...found]) : found;
  const parts = new Map([...shown].flatMap((id) => (!running.has(id) && writes.has(id) ? [[id, writes.get(id)!] as const] : [])));
  return { findings, parts, wholeAt: since?.wholeAt ?? startedAt, read: ids.length };
}

/**
 * What secretlint finds anywhere in the link's tree as it is now: kept from an earlier read of
 * the same version, or read (only what changed, after an earlier read). A new link reads it at
 * once (`share.create`), so its first reader does not wait for it.
 */
export async function treeFindings(
  deps: { db: PrismaClient; shareFindings: SharedFindings },
  link: Link,
  redactor: Redactor,
  options: { batch?: number; outline?: () => Promise<SharedOutline> } = {},
): Promise<Findings> {
  const version = await treeVersion(deps.db, link.sessionId);
  return deps.shareFindings.of(link.id, version, (since) => scanSharedTree(deps.db, link, redactor, { ...options, since }));
}
