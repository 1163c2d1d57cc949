import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { ArchivedTree } from "~/server/archive/read";
import { exportStylesheet } from "~/server/archive/export-css";
import { treeStats } from "~/server/archive/stats";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { ArchiveBanner } from "./archive-banner";
import { conversationPieces } from "./tree-conversation";

// One self-contained HTML file of a whole archived tree: the archived view's own components
// (the conversation rows) rendered to static markup, the app's stylesheet inline, and a CSP
// that forbids every fetch, script and frame, so it opens offline and loads nothing. Agent
// output goes through the same components as in the app: text, never markup.
// Written as a stream, a few hundred rows at a time: the file is never one string in memory.

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

/** Rows per piece written: small enough to bound memory, large enough to keep writes few. */
const CHUNK_ROWS = 200;

function Header({ tree, exportedAt }: { tree: ArchivedTree; exportedAt: Date }) {
  return (
    <header className="space-y-2">
      <h1 className="text-xl font-semibold" data-testid="session-title">
        {markUnrepresentable(tree.root.title || "Untitled session")}
      </h1>
      <p className="text-xs text-slate-500">
        Runner {tree.runner.name} · {tree.root.directory} · started {tree.root.createdAt.toISOString()} · exported {exportedAt.toISOString()}
      </p>
      <ArchiveBanner reason="requested" stats={treeStats(tree)} message="An offline copy of this session and its sub-agents, exported from Flightdeck." />
    </header>
  );
}

const escapeAttribute = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function* pieces(tree: ArchivedTree, css: string, exportedAt: Date): Generator<string | ReactElement> {
  const title = escapeAttribute(markUnrepresentable(tree.root.title || "Session"));
  yield `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Flightdeck archive</title><style>${css.replace(/<\/style/gi, "<\\/style")}</style></head><body class="bg-slate-50 text-slate-900"><main class="mx-auto max-w-4xl space-y-4 px-4 py-6">`;
  yield <Header tree={tree} exportedAt={exportedAt} />;
  yield `<div class="space-y-4" data-testid="archived-conversation" data-session-id="${escapeAttribute(tree.root.id)}">`;
  yield* conversationPieces(tree, tree.root, { links: false, open: true }, CHUNK_ROWS);
  yield "</div></main></body></html>\n";
}

/** The export as a byte stream that renders each piece when the reader asks for more (run by export-file.ts). */
export async function exportHtmlStream(tree: ArchivedTree, exportedAt = new Date()): Promise<ReadableStream<Uint8Array>> {
  const source = pieces(tree, await exportStylesheet(), exportedAt);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = source.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(typeof next.value === "string" ? next.value : renderToStaticMarkup(next.value)));
      },
    },
    { highWaterMark: 0 },
  );
}
