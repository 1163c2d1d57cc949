"use client";

import { AppLink } from "~/components/layout/app-link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { formatCost, formatDuration, formatTokens } from "~/components/session/format";
import type { FamilyMember } from "./types";
import { statusLabel } from "~/components/session/status";

/**
 * The family of the page's session as a tree: sub-agents under the turn that spawned them,
 * forks under the turn they were made at, any depth. Reverted sessions (and what hangs under
 * them) are left out and counted. Shares its query with the live view, which re-reads it as
 * sessions appear.
 */
export function LineagePanel({ sessionId, initial }: { sessionId: string; initial: FamilyMember[] }) {
  const trpc = useTRPC();
  const members = useQuery({ ...trpc.session.tree.queryOptions({ sessionId }), initialData: initial }).data;
  const tree: Tree = new Map();
  for (const m of members) tree.set(m.parentId, [...(tree.get(m.parentId) ?? []), m]);
  const shown = countShown(tree, null);
  const hidden = members.length - shown;
  if (members.length < 2) return null;
  return (
    <section className="mt-4 rounded-lg border border-slate-200 bg-white p-3" data-testid="lineage" aria-label="Lineage">
      <h2 className="text-sm font-medium text-slate-700">
        Lineage <span className="font-normal text-slate-500">({shown} session{shown === 1 ? "" : "s"})</span>
      </h2>
      <ul className="mt-2 space-y-1 text-sm">
        <Nodes parent={null} tree={tree} current={sessionId} />
      </ul>
      {hidden > 0 && (
        <p className="mt-2 text-xs text-slate-500" data-testid="lineage-reverted">
          {hidden} reverted session{hidden === 1 ? "" : "s"} not shown (the archive keeps them).
        </p>
      )}
    </section>
  );
}

type Tree = Map<string | null, FamilyMember[]>;

function countShown(tree: Tree, parent: string | null): number {
  return (tree.get(parent) ?? []).filter((m) => !m.revertedAt).reduce((n, m) => n + 1 + countShown(tree, m.id), 0);
}

function Nodes({ parent, tree, current }: { parent: string | null; tree: Tree; current: string }) {
  return (tree.get(parent) ?? [])
    .filter((m) => !m.revertedAt)
    .map((m) => (
      <li key={m.id} data-testid="lineage-node" data-relation={m.relation ?? "origin"} data-session-id={m.id} data-status={m.deletedAt ? "gone" : m.status}>
        <div className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-600">
          <AppLink href={`/sessions/${m.id}`} className={`text-sm ${m.id === current ? "font-semibold text-slate-900" : "text-sky-700 hover:underline"}`}>
            {m.title || "Untitled session"}
          </AppLink>
          {m.relation && (
            <span data-testid="lineage-link">
              {m.relation === "fork" ? "fork" : "sub-agent"}
              {m.turnIndex !== null && ` at turn ${m.turnIndex}`}
            </span>
          )}
          <span>{m.deletedAt ? statusLabel.gone.toLowerCase() : m.status}</span>
          {m.agent && <span>@{m.agent}</span>}
          {m.modelId && <span>{`${m.providerId}/${m.modelId}`}</span>}
          <span>{formatDuration(m.durationMs)}</span>
          <span>
            {formatTokens(m.tokens.input)} in / {formatTokens(m.tokens.output)} out
          </span>
          <span>{formatCost(m.cost)}</span>
        </div>
        {tree.has(m.id) && (
          <ul className="ml-4 mt-1 space-y-1 border-l border-slate-200 pl-3">
            <Nodes parent={m.id} tree={tree} current={current} />
          </ul>
        )}
      </li>
    ));
}
