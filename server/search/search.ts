import { Prisma, type PrismaClient } from "~/server/generated/prisma/client";
import { searchInput, type SearchFilters, type SearchInput } from "./input";
import { parseSearchQuery } from "./query-text";
import { HEADLINE_OPTIONS, STAND_INS, STOOD_IN, snippetSegments, type SnippetSegment } from "./snippet";
import { CONFIG, tsquery } from "./tsquery";

// Ranking reads every matching part; a word in nearly every part of a large archive would read
// them all. Past this many matching parts (after the filters), only these are ranked.
export const HIT_CAP = 10_000;
export const MATCHES_PER_TREE = 5;
// ts_headline reads the text it marks: a huge tool output is marked in its first part only.
const HEADLINE_CHARS = 20_000;

/**
 * The text a headline is cut from, its paths split where the index splits them (`/` and `.`
 * are spaces there), so a word found inside a path is marked, and no `<` in it (the parser reads
 * `<div>` as a tag, which ts_headline drops): each is a stand-in character the parser splits on,
 * put back by snippetSegments (stand-ins already in the text are dropped).
 */
const headlineText = (text: Prisma.Sql) => Prisma.sql`translate(${text}, ${STOOD_IN + STAND_INS}, ${STAND_INS})`;
// A part's vector, computed on the fly while the indexer has not stored it yet (written in the
// last second or so): the results never wait for the index.
const PART_VECTOR = Prisma.sql`coalesce(p.search, flightdeck_part_search(p.text, p.data))`;

/** Where a match is: a session's title, a turn's error, or a part (prompt, answer, reasoning, tool call, file). */
export type MatchKind = "title" | "error" | "prompt" | "answer" | "reasoning" | "tool" | "file";

export type SearchMatch = {
  sessionId: string;
  sessionTitle: string;
  /** The turn of that session the match is in (null for a title). */
  turnIndex: number | null;
  partId: string | null;
  kind: MatchKind;
  /** The tool's name, for a tool call. */
  tool: string | null;
  snippet: SnippetSegment[];
};

export type SearchTree = {
  rootId: string;
  title: string;
  runnerName: string;
  status: string;
  deleted: boolean;
  startedBy: string | null;
  lastActivityAt: Date;
  /** Matches in the whole tree (MATCHES_PER_TREE of them are in `matches`: the best of each session and kind first). */
  hits: number;
  matches: SearchMatch[];
};

export type SearchPage = { trees: SearchTree[]; nextCursor: string | null };

type Row = {
  rootId: string;
  hits: number;
  sessionId: string;
  source: "part" | "title" | "error";
  sessionTitle: string;
  turnIndex: number | null;
  partId: string | null;
  partType: string | null;
  role: string | null;
  tool: string | null;
  headline: string | null;
};

/** Full-text search over every tree that is not purged, sub-agents included, best trees first. */
export async function searchTrees(db: PrismaClient, raw: SearchInput): Promise<SearchPage> {
  const input = searchInput.parse(raw);
  if (input.q === "") return filteredTrees(db, input);
  const query = tsquery(parseSearchQuery(input.q));
  const offset = Number(input.cursor ?? 0);
  const filters = input.filters ?? {};
  // Each matching row's tree is its root, joined by primary key: a join the planner estimates
  // right with or without statistics (PGlite has none until ANALYZE), so the index drives.
  const inTree = Prisma.sql`JOIN "Session" r ON r.id = coalesce(s."rootId", s.id)`;
  const kept = Prisma.sql`s."purgedAt" IS NULL AND r."purgedAt" IS NULL ${sessionFilters(filters)} ${treeFilters(filters)}`;
  const rows = await db.$queryRaw<Row[]>`
    WITH hits AS (
      (SELECT p."sessionId", p."turnId", p.id AS "partId", 'part' AS source, p.type, ts_rank_cd(${PART_VECTOR}, ${query}) AS rank, r.id AS tree
       FROM "Part" p
       JOIN "Session" s ON s.id = p."sessionId" ${inTree}
       WHERE (p.search @@ ${query} OR (p.search IS NULL AND flightdeck_part_search(p.text, p.data) @@ ${query})) AND ${kept}
       LIMIT ${HIT_CAP})
      UNION ALL
      SELECT s.id, NULL, NULL, 'title', NULL, ts_rank_cd(s.search, ${query}) * 2, r.id
      FROM "Session" s ${inTree}
      WHERE s.search @@ ${query} AND ${kept}
      UNION ALL
      SELECT t."sessionId", t.id, NULL, 'error', NULL, 0.5, r.id
      FROM "Turn" t
      JOIN "Session" s ON s.id = t."sessionId" ${inTree}
      WHERE t.status = 'error' AND t.error IS NOT NULL AND to_tsvector(${CONFIG}, translate(t.error, '/.<', '   ')) @@ ${query} AND ${kept}
    ),
    trees AS (
      -- The best match decides, and more matches lift a tree over one with the same best.
      SELECT tree, max(rank) * (1 + ln(count(*))) AS best, count(*)::int AS hits FROM hits
      GROUP BY tree ORDER BY best DESC, tree
      LIMIT ${input.limit + 1} OFFSET ${offset}
    ),
    -- A tree's matches shown: first the best of each session and kind (a sub-agent's answer is
    -- not hidden behind its parent quoting it), then the next best.
    grouped AS (
      SELECT h.*, row_number() OVER (PARTITION BY h.tree, h."sessionId", h.source, h.type ORDER BY h.rank DESC, h."partId") AS g
      FROM hits h JOIN trees t ON t.tree = h.tree
    ),
    ranked AS (
      SELECT g.*, row_number() OVER (PARTITION BY g.tree ORDER BY g.g, g.rank DESC, g."sessionId", g."partId") AS n FROM grouped g
    )
    SELECT rk.tree AS "rootId", t.hits, rk."sessionId", rk.source, s.title AS "sessionTitle", tu.index AS "turnIndex",
      rk."partId", p.type AS "partType", m.role, p.data ->> 'tool' AS tool,
      CASE rk.source
        WHEN 'title' THEN ts_headline(${CONFIG}, ${headlineText(Prisma.sql`s.title`)}, ${query}, ${HEADLINE_OPTIONS})
        WHEN 'error' THEN ts_headline(${CONFIG}, ${headlineText(Prisma.sql`left(tu.error, ${HEADLINE_CHARS})`)}, ${query}, ${HEADLINE_OPTIONS})
        ELSE ts_headline(${CONFIG}, ${headlineText(Prisma.sql`left(flightdeck_part_search_text(p.text, p.data), ${HEADLINE_CHARS})`)}, ${query}, ${HEADLINE_OPTIONS})
      END AS headline
    FROM ranked rk
    JOIN trees t ON t.tree = rk.tree
    JOIN "Session" s ON s.id = rk."sessionId"
    LEFT JOIN "Turn" tu ON tu.id = rk."turnId"
    LEFT JOIN "Part" p ON p.id = rk."partId"
    LEFT JOIN "Message" m ON m.id = p."messageId"
    WHERE rk.n <= ${MATCHES_PER_TREE}
    ORDER BY t.best DESC, rk.tree, rk.n`;
  const treeIds = [...new Set(rows.map((r) => r.rootId))];
  const trees = await treesOf(db, treeIds.slice(0, input.limit), (id) => {
    const own = rows.filter((r) => r.rootId === id);
    return { hits: Number(own[0]?.hits ?? 0), matches: own.map(toMatch) };
  });
  return { trees, nextCursor: treeIds.length > input.limit ? String(offset + input.limit) : null };
}

/**
 * Filters without words: the trees they keep, latest activity first. Model and agent keep a tree
 * when one of its sessions used them, as they narrow a search's matches to those sessions.
 */
async function filteredTrees(db: PrismaClient, input: ReturnType<typeof searchInput.parse>): Promise<SearchPage> {
  const offset = Number(input.cursor ?? 0);
  const filters = input.filters ?? {};
  const sessions = sessionFilters(filters);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT r.id FROM "Session" r
    WHERE coalesce(r."rootId", r.id) = r.id AND r."purgedAt" IS NULL ${treeFilters(filters)}
      ${sessions === Prisma.empty ? Prisma.empty : Prisma.sql`AND EXISTS (SELECT 1 FROM "Session" s WHERE (s."rootId" = r.id OR s.id = r.id) AND s."purgedAt" IS NULL ${sessions})`}
    ORDER BY r."lastActivityAt" DESC, r.id
    LIMIT ${input.limit + 1} OFFSET ${offset}`;
  const ids = rows.map((r) => r.id);
  const trees = await treesOf(db, ids.slice(0, input.limit), () => ({ hits: 0, matches: [] }));
  return { trees, nextCursor: ids.length > input.limit ? String(offset + input.limit) : null };
}

/** The page's trees in this order, with what each root shows. */
async function treesOf(db: PrismaClient, pageIds: string[], found: (rootId: string) => Pick<SearchTree, "hits" | "matches">): Promise<SearchTree[]> {
  const roots = await db.session.findMany({
    where: { id: { in: pageIds } },
    select: {
      id: true, title: true, status: true, deletedAt: true, lastActivityAt: true,
      runner: { select: { name: true } }, startedBy: { select: { name: true } },
    },
  });
  const rootById = new Map(roots.map((r) => [r.id, r]));
  return pageIds.flatMap((id): SearchTree[] => {
    const root = rootById.get(id);
    if (!root) return [];
    return [{
      rootId: id,
      title: root.title,
      runnerName: root.runner.name,
      status: root.status,
      deleted: root.deletedAt !== null,
      startedBy: root.startedBy?.name ?? null,
      lastActivityAt: root.lastActivityAt,
      ...found(id),
    }];
  });
}

function toMatch(row: Row): SearchMatch {
  return {
    sessionId: row.sessionId,
    sessionTitle: row.sessionTitle,
    turnIndex: row.turnIndex,
    partId: row.partId,
    kind: kindOf(row),
    tool: row.tool,
    snippet: snippetSegments(row.headline ?? ""),
  };
}

function kindOf(row: Row): MatchKind {
  if (row.source !== "part") return row.source;
  if (row.partType === "tool") return "tool";
  if (row.partType === "reasoning") return "reasoning";
  if (row.partType === "text") return row.role === "user" ? "prompt" : "answer";
  return "file";
}

const and = (conditions: Prisma.Sql[]) => (conditions.length ? Prisma.sql` AND ${Prisma.join(conditions, " AND ")}` : Prisma.empty);

/** Conditions on the matched session itself (alias s). */
function sessionFilters(f: SearchFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (f.model) conditions.push(Prisma.sql`(s."modelId" = ${f.model} OR s."providerId" || '/' || s."modelId" = ${f.model})`);
  if (f.agent) conditions.push(Prisma.sql`s.agent = ${f.agent}`);
  return and(conditions);
}

/** Conditions on the tree, through its root (alias r). */
function treeFilters(f: SearchFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  // A session x of the tree rooted at r (the root itself included).
  const ofTree = Prisma.sql`(x."rootId" = r.id OR x.id = r.id)`;
  if (f.runnerId) conditions.push(Prisma.sql`r."runnerId" = ${f.runnerId}`);
  if (f.startedById) conditions.push(Prisma.sql`r."startedById" = ${f.startedById}`);
  if (f.status === "gone") conditions.push(Prisma.sql`r."deletedAt" IS NOT NULL`);
  else if (f.status) conditions.push(Prisma.sql`r."deletedAt" IS NULL AND r.status::text = ${f.status}`);
  if (f.from) conditions.push(Prisma.sql`r."lastActivityAt" >= ${new Date(f.from)}`);
  if (f.to) conditions.push(Prisma.sql`r."createdAt" <= ${endOf(f.to)}`);
  if (f.minCost !== undefined || f.maxCost !== undefined) {
    const cost = Prisma.sql`(SELECT coalesce(sum(x.cost), 0) FROM "Session" x WHERE ${ofTree})`;
    if (f.minCost !== undefined) conditions.push(Prisma.sql`${cost} >= ${f.minCost}`);
    if (f.maxCost !== undefined) conditions.push(Prisma.sql`${cost} <= ${f.maxCost}`);
  }
  if (f.hasErrors !== undefined) {
    const failed = Prisma.sql`EXISTS (SELECT 1 FROM "Session" x WHERE ${ofTree} AND (x.status = 'error'
      OR EXISTS (SELECT 1 FROM "Turn" t WHERE t."sessionId" = x.id AND t.status = 'error')))`;
    conditions.push(f.hasErrors ? failed : Prisma.sql`NOT ${failed}`);
  }
  if (f.hasSubAgents !== undefined) {
    const children = Prisma.sql`EXISTS (SELECT 1 FROM "Session" x WHERE x."rootId" = r.id AND x.id <> r.id)`;
    conditions.push(f.hasSubAgents ? children : Prisma.sql`NOT ${children}`);
  }
  return and(conditions);
}

// "to 2026-12-03" means the whole of that day; a full timestamp means that instant.
function endOf(to: string): Date {
  const date = new Date(to);
  return /^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(date.getTime() + 24 * 60 * 60 * 1000 - 1) : date;
}
