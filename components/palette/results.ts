import type { inferRouterOutputs } from "@trpc/server";
import type { NavPage } from "~/components/layout/nav";
import type { AppRouter } from "~/server/api/root";
import { matchScore } from "./match";

type Outputs = inferRouterOutputs<AppRouter>;
export type PaletteSession = Pick<Outputs["session"]["list"]["items"][number], "id" | "title" | "displayStatus"> & {
  runner: { name: string };
};
export type PaletteRunner = Pick<Outputs["runner"]["list"][number], "id" | "name" | "status">;

export type PaletteItem = { key: string; href: string; label: string } & (
  | { kind: "page" }
  | { kind: "session"; session: PaletteSession }
  | { kind: "runner"; runner: PaletteRunner }
  | { kind: "search" }
);

export const sessionLabel = (title: string) => title || "Untitled session";

/**
 * What the palette lists for what was typed. Nothing typed: the pages, then the recent
 * sessions it was given. Otherwise every page, session and runner whose name matches, best
 * match first; the sessions are the server's title search, matched again here so a list still
 * held from the previous query shows only what matches the current one. Last, always, a search
 * of everything that happened in the sessions for what was typed.
 */
export function paletteResults(query: string, sources: { pages: NavPage[]; sessions: PaletteSession[]; runners: PaletteRunner[] }): PaletteItem[] {
  const pages = sources.pages.map((p): PaletteItem => ({ kind: "page", key: `page:${p.href}`, href: p.href, label: p.label }));
  const sessions = sources.sessions.map(
    (s): PaletteItem => ({ kind: "session", key: `session:${s.id}`, href: `/sessions/${s.id}`, label: sessionLabel(s.title), session: s }),
  );
  if (!query.trim()) return [...pages, ...sessions];
  const runners = sources.runners.map(
    (r): PaletteItem => ({ kind: "runner", key: `runner:${r.id}`, href: `/?runner=${r.id}`, label: r.name, runner: r }),
  );
  // The sort is stable: on equal matches, pages, then sessions, then runners, each as given.
  const everywhere: PaletteItem = {
    kind: "search",
    key: "search",
    href: `/search?${new URLSearchParams({ q: query.trim() })}`,
    label: `Search everything for “${query.trim()}”`,
  };
  const named = [...pages, ...sessions, ...runners]
    .map((item) => ({ item, score: matchScore(item.kind === "session" ? item.session.title : item.label, query) }))
    .filter((m): m is typeof m & { score: number } => m.score !== null)
    .sort((a, b) => a.score - b.score)
    .map((m) => m.item);
  return [...named, everywhere];
}
