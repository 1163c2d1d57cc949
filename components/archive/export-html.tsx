import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { ArchivedSession, ArchivedTree, ArchivedTurn } from "~/server/archive/read";
import { windowsOf, type ExportSource } from "~/server/archive/export-source";
import type { TreeStats } from "~/server/archive/stats";
import { exportStylesheet } from "~/server/archive/export-css";
import { LocalTime } from "~/components/session/local-time";
import { textStream } from "~/server/archive/download-response";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { ArchiveBanner } from "./archive-banner";
import { archiveSlots, ConversationFrame, conversationPlan, NoMessages, Reverted, SubAgent, TurnRows, turnItems, type TreeOptions } from "./tree-conversation";

// One self-contained HTML file of a whole archived tree: the archived view's own components
// (the conversation rows) rendered to static markup, the app's stylesheet inline, and a CSP
// that forbids every fetch, script and frame, so it opens offline and loads nothing. Agent
// output goes through the same components as in the app: text, never markup.
// Written as a stream, a window of turns at a time (server/archive/export-source.ts): neither
// the file nor the tree is ever whole in memory.

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

/** Rows per piece written: small enough to bound memory, large enough to keep writes few. */
const CHUNK_ROWS = 200;

function Header({ tree, stats, exportedAt }: { tree: ArchivedTree; stats: TreeStats; exportedAt: Date }) {
  return (
    <header className="space-y-2">
      {/* A title or directory of one unbroken string wraps rather than widening the page. */}
      <h1 className="text-xl font-semibold [overflow-wrap:anywhere]" data-testid="session-title">
        {markUnrepresentable(tree.root.title || "Untitled session")}
      </h1>
      <p className="text-xs text-slate-500 [overflow-wrap:anywhere]">
        Runner {tree.runner.name} · {tree.root.directory} · started <LocalTime at={tree.root.createdAt} /> · exported <LocalTime at={exportedAt} />
      </p>
      <ArchiveBanner reason="requested" stats={stats} message="An offline copy of this session and its sub-agents, exported from Flightdeck." />
    </header>
  );
}

const escapeAttribute = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

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

async function* pieces(source: ExportSource, css: string, exportedAt: Date): AsyncGenerator<string> {
  const { tree } = source;
  const title = escapeAttribute(markUnrepresentable(tree.root.title || "Session"));
  yield `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Flightdeck archive</title><style>${css.replace(/<\/style/gi, "<\\/style")}${NO_SCRIPT_CSS}</style></head><body class="bg-slate-50 text-slate-900"><main class="mx-auto max-w-4xl space-y-4 px-4 py-6">`;
  yield renderToStaticMarkup(<Header tree={tree} stats={source.stats} exportedAt={exportedAt} />);
  const [open, close] = around(<ConversationFrame session={tree.root}>{slot()}</ConversationFrame>);
  yield open;
  yield* sessionPieces(source, tree.root, { links: false, open: true, usage: source.usage });
  yield `${close}</main></body></html>\n`;
}

/** A session's conversation, a window of turns at a time: its kept turns, the reverted ones apart, then its unlinked sub-agents. */
async function* sessionPieces(source: ExportSource, session: ArchivedSession, options: TreeOptions): AsyncGenerator<string> {
  const plan = conversationPlan(source.tree, session, options, new Set(source.linked));
  if (plan.empty) yield renderToStaticMarkup(<NoMessages />);
  yield* turnPieces(source, session, plan.kept, plan.anchored, options);
  if (plan.reverted.length > 0) {
    const [open, close] = around(<Reverted>{slot()}</Reverted>);
    yield open;
    yield* turnPieces(source, session, plan.reverted, false, options);
    yield close;
  }
  for (const id of plan.unlinked) yield* subAgentPieces(source, source.tree.sessions[id]!, options);
}

async function* turnPieces(source: ExportSource, session: ArchivedSession, outline: ArchivedTurn[], anchored: boolean, options: TreeOptions): AsyncGenerator<string> {
  const position = new Map(outline.map((t, i) => [t.id, i]));
  for (const window of windowsOf(outline.map((t) => t.id), source.turnParts)) {
    // The turn before the window is read too, for how it ended (turnItems' `after`): its messages, not its parts.
    const before = outline[position.get(window[0]!)! - 1];
    const read = await source.turns(before ? [before.id, ...window] : window, before ? [before.id] : []);
    const after = before && read[0]?.id === before.id ? read.shift() : undefined;
    // The session as this window holds it: the tool calls its sub-agents hang under.
    const slots = archiveSlots(source.tree, { ...session, turns: read }, options, (child) => slot(child.id));
    for (const item of turnItems(session, read, anchored, CHUNK_ROWS, after)) {
      if (item.kind !== "rows") continue;
      // The rows' markup, with each sub-agent streamed in where its slot is.
      const markup = renderToStaticMarkup(<TurnRows item={item} slots={slots} />).split(SLOTS);
      for (let i = 0; i < markup.length; i++) {
        const child = i % 2 === 1 ? source.tree.sessions[markup[i]!] : undefined;
        if (child) yield* subAgentPieces(source, child, options);
        else if (i % 2 === 0 && markup[i]) yield markup[i]!;
      }
    }
  }
}

async function* subAgentPieces(source: ExportSource, session: ArchivedSession, options: TreeOptions): AsyncGenerator<string> {
  const [open, close] = around(<SubAgent tree={source.tree} session={session} options={options} body={<ConversationFrame session={session}>{slot()}</ConversationFrame>} />);
  yield open;
  yield* sessionPieces(source, session, options);
  yield close;
}

/**
 * The export as a byte stream that renders each piece when the reader asks for more (run by
 * export-file.ts), reading the source's turns a window at a time.
 */
export async function exportHtmlStream(source: ExportSource, exportedAt = new Date()): Promise<ReadableStream<Uint8Array>> {
  return textStream(pieces(source, await exportStylesheet(), exportedAt));
}
