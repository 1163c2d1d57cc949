import { turnAnchor } from "~/components/lineage/turn-anchor";
import { TurnPageJump } from "./turn-page-jump";

// Pages of a long archived session: plain links (`?page=`), no script needed. Every turn of
// the root not on this page still has its anchor here (`#turn-N`, what the timeline and search
// link to), a link to the page that holds it; with JavaScript, TurnPageJump follows it at once.

export type Paging = { page: number; pages: { firstTurn: number; lastTurn: number }[]; turnPages: Record<number, number> };

/** A page or turn number from the address; anything else is ignored (the first page). */
export function positive(value: string | string[] | undefined): number | undefined {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : 0;
  return n >= 1 ? n : undefined;
}

/** `query`: the page's address parameters to keep (view=archive, hl=…). */
export function pageHref(query: Record<string, string>, page: number, hash = ""): string {
  return `?${new URLSearchParams({ ...query, page: String(page) }).toString()}${hash}`;
}

const turns = (p: { firstTurn: number; lastTurn: number }) => (p.firstTurn === p.lastTurn ? `turn ${p.firstTurn}` : `turns ${p.firstTurn}–${p.lastTurn}`);

export function ArchivePager({ paging, query, anchors }: { paging: Paging; query: Record<string, string>; anchors: boolean }) {
  const { page, pages } = paging;
  if (pages.length <= 1) return null;
  return (
    <nav aria-label="Pages of the conversation" data-testid="archive-pager" data-page={page} data-pages={pages.length} className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-slate-200 bg-white px-3 py-2 text-xs text-slate-600">
      <span className="font-medium text-slate-800">
        Page {page} of {pages.length} ({turns(pages[page - 1]!)})
      </span>
      {page > 1 && (
        <a href={pageHref(query, page - 1)} rel="prev" data-testid="archive-page-prev" className="text-sky-700 hover:underline">
          Previous page
        </a>
      )}
      {page < pages.length && (
        <a href={pageHref(query, page + 1)} rel="next" data-testid="archive-page-next" className="text-sky-700 hover:underline">
          Next page
        </a>
      )}
      <details className="basis-full">
        <summary className="cursor-pointer">All pages</summary>
        <ol className="mt-1 flex flex-wrap gap-x-3">
          {pages.map((p, i) => (
            <li key={i}>
              {i + 1 === page ? <span className="font-medium">{i + 1}</span> : <a href={pageHref(query, i + 1)} className="text-sky-700 hover:underline">{i + 1}</a>} ({turns(p)})
            </li>
          ))}
        </ol>
      </details>
      {anchors && <TurnStubs paging={paging} query={query} />}
    </nav>
  );
}

function TurnStubs({ paging, query }: { paging: Paging; query: Record<string, string> }) {
  // A turn this page holds (from its prompt, or repeated at the top) is anchored by its section.
  const here = paging.pages[paging.page - 1]!;
  const elsewhere = Object.entries(paging.turnPages).filter(([turn]) => Number(turn) < here.firstTurn || Number(turn) > here.lastTurn);
  return (
    <p className="basis-full">
      <TurnPageJump />
      {elsewhere.map(([turn, p]) => (
        <a key={turn} id={turnAnchor(Number(turn))} data-turn-page={p} href={pageHref(query, p, `#${turnAnchor(Number(turn))}`)} className="mr-3 text-sky-700 hover:underline">
          Turn {turn} is on page {p}
        </a>
      ))}
    </p>
  );
}
