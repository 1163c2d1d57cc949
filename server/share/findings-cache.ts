import type { PrismaClient } from "~/server/generated/prisma/client";
import type { Findings } from "./redact";

// A link's page redacts what secretlint finds anywhere in its tree (a value named on one page
// and repeated bare on another), and finding it reads every part: seconds for 10,000. So the
// findings of a tree are kept per link while the tree stays as it was when it was read; any
// stored change to its sessions or parts reads it again.

/** How many links' findings are kept (each a handful of values), the least recently read going first. */
const MOST_KEPT = 256;

export class SharedFindings {
  private readonly kept = new Map<string, { version: string; findings: Promise<Findings> }>();

  /** The findings of the link's tree at `version`: kept ones, or `scan`'s (read once however many ask). */
  of(linkId: string, version: string, scan: () => Promise<Findings>): Promise<Findings> {
    const hit = this.kept.get(linkId);
    this.kept.delete(linkId);
    if (hit?.version === version) {
      this.kept.set(linkId, hit);
      return hit.findings;
    }
    const findings = scan();
    this.kept.set(linkId, { version, findings });
    while (this.kept.size > MOST_KEPT) this.kept.delete(this.kept.keys().next().value!);
    // A failed scan is not kept: the next read tries again.
    findings.catch(() => {
      if (this.kept.get(linkId)?.findings === findings) this.kept.delete(linkId);
    });
    return findings;
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
