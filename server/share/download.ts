import { randomUUID } from "node:crypto";
import { loadArchivedTree, type ArchivedPart, type ArchivedTree } from "~/server/archive/read";
import { PARTS_PER_READ, readWholeParts } from "~/server/archive/stand-ins";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { partWrites, type TreeScan } from "./findings-cache";
import type { Include } from "./links";
import { projectPart, projectTree } from "./project";
import type { Findings, Redactor } from "./redact";
import { holdBackPart, redactWith, refuseUnsafe, stringsToRedact } from "./shared-tree";

// A shared tree as a file (JSON or HTML), never whole in memory, as the team's exports are
// (server/archive/stand-ins.ts): the tree's outline (parts as stand-ins), then its whole parts a
// few hundred at a time as the file is written. Redaction must still see the whole tree first: a
// value secretlint finds in one part is redacted wherever it appears. So opening a download reads
// every part once, a batch at a time, keeping only what secretlint found, and the file's reads
// redact with that (a link's pages too: shared-page.ts). Each outline and batch is projected as
// a link's page is, redacted, and scanned before it goes.

/** A shared tree's file: its outline, redacted, and its parts by row id, redacted the same way. */
export type SharedDownload = { tree: ArchivedTree; parts: (partIds: string[]) => Promise<ArchivedPart[]> };

export async function openSharedDownload(
  db: PrismaClient,
  link: { sessionId: string; include: Include },
  redactor: Redactor,
  options: { batch?: number } = {},
): Promise<SharedDownload> {
  const { outline, read, findings } = await scanSharedTree(db, link, redactor, options);
  // Nothing the file reads later holds on to the outline: only its redacted copy stays.
  const redact = redactor.using(findings);
  const tree = redactWith(redact, outline);
  await refuseUnsafe(redactor, JSON.stringify(tree));
  return {
    tree,
    async parts(partIds) {
      const parts = redactWith(redact, await read(partIds));
      await refuseUnsafe(redactor, JSON.stringify(parts));
      return parts;
    },
  };
}

/**
 * Reads every part of the link's tree once, a batch at a time, projected as the link shows it,
 * for what secretlint finds anywhere in it. Returns those findings, the projected outline (parts
 * as stand-ins), the reader of whole parts (those the projection left out are not read), and
 * the scan a later one can start from. With `since` (an earlier scan of the same link), only
 * the parts written since it read them, the new ones and those of a running turn are read, and
 * its findings are kept: a page's findings grow while the tree streams (findings-cache.ts).
 */
export async function scanSharedTree(
  db: PrismaClient,
  link: { sessionId: string; include: Include },
  redactor: Redactor,
  { batch = PARTS_PER_READ, since }: { batch?: number; since?: TreeScan } = {},
): Promise<{ outline: ArchivedTree; read: (partIds: string[]) => Promise<ArchivedPart[]>; findings: Findings; scan: TreeScan }> {
  const startedAt = Date.now();
  const writes = await partWrites(db, link.sessionId);
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
  const read = async (ids: string[]) =>
    (await readWholeParts(db, rootId, ids.filter((id) => shown.has(id)))).map((part) => {
      const projected = projectPart(part, link.include);
      return running.has(part.id) ? holdBackPart(projected) : projected;
    });
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
  return { outline, read, findings, scan: { findings, parts, wholeAt: since?.wholeAt ?? startedAt, read: ids.length } };
}

/** How long an opened download serves its parts, and how many are kept open at once. */
const OPEN_FOR_MS = 10 * 60_000;
const MOST_OPEN = 64;

type Open = SharedDownload & { linkId: string; until: number };

/**
 * Opened downloads of this process, by a random id: the download route opens one and then reads
 * its parts through the share procedures (in-process, so one instance serves the whole file).
 * The id is good for its own link only, for ten minutes.
 */
export class SharedDownloads {
  private readonly open = new Map<string, Open>();

  constructor(private readonly now = () => Date.now()) {}

  keep(linkId: string, download: SharedDownload): string {
    for (const [id, kept] of this.open) if (kept.until <= this.now()) this.open.delete(id);
    // The oldest goes first (a Map keeps insertion order).
    while (this.open.size >= MOST_OPEN) this.open.delete(this.open.keys().next().value!);
    const id = randomUUID();
    this.open.set(id, { ...download, linkId, until: this.now() + OPEN_FOR_MS });
    return id;
  }

  /** The download's parts, or undefined when the id is unknown, expired or another link's. */
  parts(linkId: string, downloadId: string, partIds: string[]): Promise<ArchivedPart[]> | undefined {
    const kept = this.open.get(downloadId);
    if (!kept || kept.linkId !== linkId || kept.until <= this.now()) return undefined;
    return kept.parts(partIds);
  }
}
