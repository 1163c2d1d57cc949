import type { PrismaClient } from "~/server/generated/prisma/client";
import type { Findings } from "./redact";

// A link's page redacts what secretlint finds anywhere in its tree (a value named on one page
// and repeated bare on another), and finding it reads every part: seconds for 10,000. So the
// findings of a tree are kept per link while the tree stays as it was when it was read. Once it
// changed (a live tree changes all the time), the next scan reads only the parts written since
// the last one read them, by each part's last write, and adds what it finds to what was found:
// a value found once stays redacted. Every ten minutes a scan reads the whole tree again, and
// findings shrink back to what the tree holds.

/** What a scan of a link's tree found, and what the next scan may skip. */
export type TreeScan = {
  findings: Findings;
  /** Each part read and shown whole, by id: its last write (ms) as read. Parts of a running turn, shown held back, are not here: they are read again. */
  parts: ReadonlyMap<string, number>;
  /** When the last scan that read every part started: the scans since only added to its findings. */
  wholeAt: number;
  /** How many parts this scan read whole. */
  read: number;
};

/** A scan of the link's tree; `since`, when given, is the last one, whose unchanged parts need no reading. */
export type ScanTree = (since: TreeScan | undefined) => Promise<TreeScan>;

/** How many links' findings are kept (each a handful of values), the least recently read going first. */
const MOST_KEPT = 256;
/** How many of those keep what their parts were when read (about 100 bytes a part): the rest read their whole tree when it changes. */
const MOST_WITH_PARTS = 16;
/** How old the last whole scan of a tree may be before a change reads the whole tree again. */
export const WHOLE_SCAN_EVERY_MS = 10 * 60_000;

type Kept = { version: string; scan: Promise<TreeScan>; done?: TreeScan };

export class SharedFindings {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly now = () => Date.now()) {}

  /** The findings of the link's tree at `version`: kept ones, or `scan`'s (read once however many ask). */
  of(linkId: string, version: string, scan: ScanTree): Promise<Findings> {
    const hit = this.kept.get(linkId);
    this.kept.delete(linkId);
    if (hit?.version === version) {
      this.kept.set(linkId, hit);
      return hit.scan.then((done) => done.findings);
    }
    const since = hit?.done && this.now() - hit.done.wholeAt < WHOLE_SCAN_EVERY_MS ? hit.done : undefined;
    const kept: Kept = { version, scan: scan(since) };
    this.kept.set(linkId, kept);
    // A failed scan is not kept: the next read tries again.
    kept.scan.then(
      (done) => {
        if (this.kept.get(linkId) !== kept) return;
        kept.done = done;
        this.forgetPartsOfOldest();
      },
      () => {
        if (this.kept.get(linkId) === kept) this.kept.delete(linkId);
      },
    );
    while (this.kept.size > MOST_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return kept.scan.then((done) => done.findings);
  }

  private forgetPartsOfOldest() {
    let withParts = 0;
    for (const kept of [...this.kept.values()].reverse()) {
      if (kept.done && ++withParts > MOST_WITH_PARTS) kept.done = undefined;
    }
  }
}

/** What changes whenever anything a tree's scan read does: its sessions and parts, counted and last written. */
export async function treeVersion(db: PrismaClient, rootId: string): Promise<string> {
  const [sessions, parts] = await Promise.all([
    db.session.aggregate({ where: { rootId }, _count: { _all: true }, _max: { updatedAt: true } }),
    db.part.aggregate({ where: { session: { rootId } }, _count: { _all: true }, _max: { updatedAt: true } }),
  ]);
  return [sessions._count._all, sessions._max.updatedAt?.getTime(), parts._count._all, parts._max.updatedAt?.getTime()].join(":");
}

/** Each part of the tree by id: its last write (ms). Read before the parts themselves, so a part written meanwhile is read again next time. */
export async function partWrites(db: PrismaClient, rootId: string): Promise<Map<string, number>> {
  const rows = await db.part.findMany({ where: { session: { rootId } }, select: { id: true, updatedAt: true } });
  return new Map(rows.map((row) => [row.id, row.updatedAt.getTime()]));
}
