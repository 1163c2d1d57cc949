import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { ArchivedPart, ArchivedSession, ArchivedTree } from "~/server/archive/read";
import { archivedPartEntry } from "~/server/archive/session-view";
import type { RowSlots } from "~/components/session/conversation-row";
import type { PartEntry } from "~/components/session/types";
import { exportStylesheet } from "~/server/archive/export-css";
import { LocalTime } from "~/components/session/local-time";
import { textStream } from "~/server/archive/download-response";
import { treeStats } from "~/server/archive/stats";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { ArchiveBanner } from "./archive-banner";
import { archiveSlots, ConversationFrame, conversationItems, NoMessages, Reverted, SubAgent, TurnRows, type ConversationItem, type TreeOptions } from "./tree-conversation";

// One self-contained HTML file of a whole archived tree: the archived view's own components
// (the conversation rows) rendered to static markup, the app's stylesheet inline, and a CSP
// that forbids every fetch, script and frame, so it opens offline and loads nothing. Agent
// output goes through the same components as in the app: text, never markup.
// Written as a stream, a few hundred rows at a time: the file is never one string in memory,
// and a tree read with stand-ins (exportHtmlStream's `content`) is never whole in memory either.

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

/** Rows per piece written: small enough to bound memory, large enough to keep writes few. */
const CHUNK_ROWS = 200;

function Header({ tree, exportedAt }: { tree: ArchivedTree; exportedAt: Date }) {
  return (
    <header className="space-y-2">
      {/* A title or directory of one unbroken string wraps rather than widening the page. */}
      <h1 className="text-xl font-semibold [overflow-wrap:anywhere]" data-testid="session-title">
        {markUnrepresentable(tree.root.title || "Untitled session")}
      </h1>
      <p className="text-xs text-slate-500 [overflow-wrap:anywhere]">
        Runner {tree.runner.name} · {tree.root.directory} · started <LocalTime at={tree.root.createdAt} /> · exported <LocalTime at={exportedAt} />
      </p>
      <ArchiveBanner reason="requested" stats={treeStats(tree)} message="An offline copy of this session and its sub-agents, exported from Flightdeck." />
    </header>
  );
}

const escapeAttribute = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Whole parts by row id, for a tree read with stand-ins (server/archive/stand-ins.ts); absent when the tree is whole. */
export type PartContent = (partIds: string[]) => Promise<ArchivedPart[]>;

/** Part ids asked for at once, for the next pieces (PARTS_PER_READ allows more). */
const ASK_PARTS = 500;

const OPTIONS: TreeOptions = { links: false, open: true };

// Where a sub-agent's conversation goes, in markup rendered without it: agent output is text
// (escaped), so only the renderer itself writes this element.
const slot = (sessionId = "") => <template data-export-slot={sessionId} />;
const SLOTS = /<template data-export-slot="([^"]*)"><\/template>/;

/** Markup around one empty slot: what comes before what streams into it, and after. */
function around(element: ReactElement): [string, string] {
  const [before, , after] = renderToStaticMarkup(element).split(SLOTS);
  return [before!, after!];
}

// The file runs no script (its CSP allows none): controls that need one are not shown.
const NO_SCRIPT_CSS = "[data-testid=copy-button]{display:none}";

async function* pieces(tree: ArchivedTree, css: string, exportedAt: Date, content?: PartContent): AsyncGenerator<string> {
  const title = escapeAttribute(markUnrepresentable(tree.root.title || "Session"));
  yield `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Flightdeck archive</title><style>${css.replace(/<\/style/gi, "<\\/style")}${NO_SCRIPT_CSS}</style></head><body class="bg-slate-50 text-slate-900"><main class="mx-auto max-w-4xl space-y-4 px-4 py-6">`;
  yield renderToStaticMarkup(<Header tree={tree} exportedAt={exportedAt} />);
  const [open, close] = around(<ConversationFrame session={tree.root}>{slot()}</ConversationFrame>);
  yield open;
  yield* sessionPieces(tree, tree.root, content);
  yield `${close}</main></body></html>\n`;
}

async function* sessionPieces(tree: ArchivedTree, session: ArchivedSession, content?: PartContent): AsyncGenerator<string> {
  const slots = archiveSlots(tree, session, OPTIONS, (child) => slot(child.id));
  const items = conversationItems(tree, session, OPTIONS, CHUNK_ROWS);
  const fill = content && filler(session, items, content);
  for (const item of items) yield* itemPieces(tree, item, slots, fill);
}

async function* itemPieces(tree: ArchivedTree, item: ConversationItem, slots: RowSlots, fill?: Filler): AsyncGenerator<string> {
  if (item.kind === "empty") yield renderToStaticMarkup(<NoMessages />);
  else if (item.kind === "subagent") yield* subAgentPieces(tree, tree.sessions[item.sessionId]!, fill?.content);
  else if (item.kind === "reverted") {
    const [open, close] = around(<Reverted>{slot()}</Reverted>);
    yield open;
    for (const inner of item.items) yield* itemPieces(tree, inner, slots, fill);
    yield close;
  } else {
    // The rows' markup, with each sub-agent streamed in where its slot is.
    const markup = renderToStaticMarkup(<TurnRows item={fill ? await fill.rows(item) : item} slots={slots} />).split(SLOTS);
    for (let i = 0; i < markup.length; i++) {
      const child = i % 2 === 1 ? tree.sessions[markup[i]!] : undefined;
      if (child) yield* subAgentPieces(tree, child, fill?.content);
      else if (i % 2 === 0 && markup[i]) yield markup[i]!;
    }
  }
}

async function* subAgentPieces(tree: ArchivedTree, session: ArchivedSession, content?: PartContent): AsyncGenerator<string> {
  const [open, close] = around(<SubAgent tree={tree} session={session} options={OPTIONS} body={<ConversationFrame session={session}>{slot()}</ConversationFrame>} />);
  yield open;
  yield* sessionPieces(tree, session, content);
  yield close;
}

type RowsItem = Extract<ConversationItem, { kind: "rows" }>;
type Filler = { content: PartContent; rows: (item: RowsItem) => Promise<RowsItem> };

const rowsItems = (items: ConversationItem[]): RowsItem[] => items.flatMap((item) => (item.kind === "rows" ? [item] : item.kind === "reverted" ? rowsItems(item.items) : []));
const entriesOf = (item: RowsItem) => item.rows.flatMap((row) => (row.kind === "part" ? [row.part] : row.kind === "prompt" ? row.parts : []));

/**
 * Puts the whole parts in place of a session's stand-ins, item by item in order, reading an
 * item's parts with those of the items after it, up to ASK_PARTS at once.
 */
function filler(session: ArchivedSession, items: ConversationItem[], content: PartContent): Filler {
  const rowIds = new Map(session.turns.flatMap((t) => t.messages.flatMap((m) => m.parts.map((p) => [p.opencodeId, p.id] as const))));
  const queue = rowsItems(items);
  const position = new Map(queue.map((item, i) => [item, i]));
  const idsOf = (item: RowsItem) => entriesOf(item).flatMap((entry) => rowIds.get(entry.id) ?? []);
  let whole = new Map<string, ArchivedPart>();
  let readThrough = -1;
  return {
    content,
    async rows(item) {
      const at = position.get(item)!;
      if (at > readThrough) {
        const ids = idsOf(item);
        readThrough = at;
        while (readThrough + 1 < queue.length && ids.length + idsOf(queue[readThrough + 1]!).length <= ASK_PARTS) ids.push(...idsOf(queue[++readThrough]!));
        whole = new Map();
        for (let from = 0; from < ids.length; from += ASK_PARTS) for (const part of await content(ids.slice(from, from + ASK_PARTS))) whole.set(part.opencodeId, part);
      }
      // A part gone since the outline was read (a revert meanwhile) keeps its stand-in.
      const fill = (entry: PartEntry) => {
        const part = whole.get(entry.id);
        return part ? archivedPartEntry(part, entry.messageId, entry.turnId) : entry;
      };
      return { ...item, rows: item.rows.map((row) => (row.kind === "part" ? { ...row, part: fill(row.part) } : row.kind === "prompt" ? { ...row, parts: row.parts.map(fill) } : row)) };
    },
  };
}

/**
 * The export as a byte stream that renders each piece when the reader asks for more (run by
 * export-file.ts). `content`: read the parts of a tree of stand-ins as the pieces need them.
 */
export async function exportHtmlStream(tree: ArchivedTree, exportedAt = new Date(), content?: PartContent): Promise<ReadableStream<Uint8Array>> {
  return textStream(pieces(tree, await exportStylesheet(), exportedAt, content));
}
