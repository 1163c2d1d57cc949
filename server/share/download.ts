import { randomUUID } from "node:crypto";
import type { ArchivedPart, ArchivedTree } from "~/server/archive/read";
import type { PrismaClient } from "~/server/generated/prisma/client";
import type { SharedFindings } from "./findings-cache";
import type { Include } from "./links";
import type { Redactor } from "./redact";
import { redactWith, refuseUnsafe, stringsToRedact } from "./shared-tree";
import { sharedOutline, treeFindings, type SharedOutline } from "./tree-scan";

// A shared tree as a file (JSON or HTML), never whole in memory, as the team's exports are
// (server/archive/stand-ins.ts): the tree's outline (parts as stand-ins), then its whole parts a
// few hundred at a time as the file is written. Redaction must still know the whole tree first: a
// value secretlint finds in one part is redacted wherever it appears. The file redacts with what
// the link's pages do (tree-scan.ts `treeFindings`: kept while the tree is unchanged, else read
// from what changed), and each outline and batch is projected as a link's page is, redacted,
// and scanned before it goes.

/** A shared tree's file: its outline, redacted, and its parts by row id, redacted the same way. */
export type SharedDownload = { tree: ArchivedTree; parts: (partIds: string[]) => Promise<ArchivedPart[]> };

export async function openSharedDownload(
  deps: { db: PrismaClient; shareFindings: SharedFindings },
  link: { id: string; sessionId: string; include: Include },
  redactor: Redactor,
): Promise<SharedDownload> {
  // Read once, after the tree's version: by the scan if the findings need one, else for the file.
  let shared: Promise<SharedOutline> | undefined;
  const outlineOnce = () => (shared ??= sharedOutline(deps.db, link));
  // What the link's pages redact with (kept, or read from what changed since): the file needs
  // no pass of its own over every part before its first byte.
  const findings = await treeFindings(deps, link, redactor, { outline: outlineOnce });
  const { outline, read } = await outlineOnce();
  // Nothing the file reads later holds on to the outline: only its redacted copy stays. Its own
  // strings are scanned too, as a page's are: it may be newer than the findings.
  const redact = redactor.using(findings, await redactor.findIn([stringsToRedact(outline)]));
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
