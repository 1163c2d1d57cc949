"use client";

import { AppLink } from "~/components/layout/app-link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { RunnerSwitch } from "~/components/runners/runner-switch";
import { formatBytes } from "~/server/bytes";

/**
 * A runner's session worktrees: which session uses each, its disk use, and the orphans (no
 * session) an admin can remove. Admins also set whether new sessions get a worktree by default.
 */
export function RunnerWorktrees({ runnerId, serving, isAdmin, worktreeByDefault }: { runnerId: string; serving: boolean; isAdmin: boolean; worktreeByDefault: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery({ ...trpc.worktree.list.queryOptions({ runnerId }), enabled: serving, retry: false });
  const reread = { onSettled: () => queryClient.invalidateQueries(trpc.worktree.list.queryFilter({ runnerId })) };
  const remove = useMutation(trpc.worktree.removeOrphan.mutationOptions(reread));
  const rows = list.data ?? [];
  return (
    <div data-testid="runner-worktrees" className="mt-4">
      <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">Session worktrees</h3>
      {isAdmin && (
        <RunnerSwitch runnerId={runnerId} setting="setWorktreeDefault" checked={worktreeByDefault}>
          New sessions get a git worktree of their own by default
        </RunnerSwitch>
      )}
      {!serving ? (
        <p className="mt-1 text-sm text-slate-500">The runner is not serving: its worktrees cannot be listed.</p>
      ) : list.isError ? (
        <p className="mt-1 text-xs text-amber-700">{list.error.message}</p>
      ) : rows.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">{list.isPending ? "Reading…" : "No worktrees."}</p>
      ) : (
        <ul className="mt-1 divide-y divide-slate-100">
          {rows.map((w) => (
            <li key={w.path} data-testid="runner-worktree" className="flex flex-wrap items-center gap-3 py-1.5 text-sm">
              <code className="min-w-0 flex-1 truncate font-mono text-xs" title={w.path}>
                {w.path}
              </code>
              <span className="text-xs text-slate-500">{w.diskBytes === null ? "size unknown" : formatBytes(w.diskBytes)}</span>
              {w.session ? (
                <AppLink href={`/sessions/${w.session.id}`} className="text-xs text-sky-700 hover:underline">
                  {w.session.title || "Untitled session"} ({w.session.branch})
                </AppLink>
              ) : (
                <>
                  <span className="rounded bg-amber-50 px-1.5 text-xs text-amber-800">orphan</span>
                  {isAdmin && (
                    <button
                      type="button"
                      className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-50"
                      disabled={remove.isPending}
                      onClick={() => remove.mutate({ runnerId, path: w.path })}
                    >
                      Remove
                    </button>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.error && <p className="mt-1 text-xs text-red-700">{remove.error.message}</p>}
    </div>
  );
}
