"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { DiffView } from "~/components/session/diff-view";
import { useTRPC } from "~/components/trpc/react";
import { useWorktreeDiff, type WorktreeDiff } from "./use-worktree-diff";

export type WorktreeSummary = { branch: string; baseRef: string | null; baseCommit: string; state: string };

/**
 * The session's own worktree: its branch and base, the files it changed (live), and, for
 * operators, merge into the base branch, the patch, or discard. `initial` is the diff the
 * server read, so the page shows it without JavaScript too.
 */
export function WorktreePanel(props: { sessionId: string; rootId: string; worktree: WorktreeSummary; initial?: WorktreeDiff; canOperate: boolean }) {
  const { sessionId, rootId, worktree, canOperate } = props;
  const diff = useWorktreeDiff(sessionId, rootId, props.initial);
  const state = diff.data?.state ?? worktree.state;
  const files = diff.data?.files ?? [];
  return (
    <section className="mt-4 rounded-lg border border-slate-200 bg-white p-3" data-testid="worktree-panel" aria-label="Worktree">
      <h2 className="flex flex-wrap items-baseline gap-x-2 text-sm font-medium text-slate-700">
        Worktree <code className="font-mono text-xs">{worktree.branch}</code>
        <span className="font-normal text-slate-500">
          from {worktree.baseRef ?? "commit"} <code className="font-mono text-xs">{worktree.baseCommit.slice(0, 10)}</code>
        </span>
        <span data-testid="worktree-state" className="rounded bg-slate-100 px-1.5 text-xs font-normal text-slate-600">
          {state}
        </span>
      </h2>
      {canOperate && <WorktreeActions sessionId={sessionId} baseRef={worktree.baseRef} fileCount={files.length} active={state === "active"} />}
      {diff.isError && <p className="mt-2 text-xs text-amber-700">{diff.error.message}</p>}
      <p className="mt-2 text-xs text-slate-500" data-testid="worktree-summary">
        {files.length === 0 ? "No files changed." : `${files.length} file${files.length === 1 ? "" : "s"} changed`}
        {state !== "active" && files.length > 0 && " (the final diff, kept after the worktree was removed)"}
      </p>
      <FileDiffs files={files} open testId="worktree-file" />
      {(diff.data?.turns.length ?? 0) > 0 && (
        <details className="mt-3" data-testid="worktree-turns">
          <summary className="cursor-pointer text-xs font-medium text-slate-700">By turn</summary>
          {diff.data!.turns.map((turn) => (
            <div key={turn.index} className="mt-2" data-testid="worktree-turn">
              <h3 className="text-xs font-medium text-slate-600">Turn {turn.index}</h3>
              <FileDiffs files={turn.files} open={false} testId="worktree-turn-file" />
            </div>
          ))}
        </details>
      )}
    </section>
  );
}

type FileDiff = { file: string; patch: string; additions: number; deletions: number; status: string };

function FileDiffs({ files, open, testId }: { files: FileDiff[]; open: boolean; testId: string }) {
  return (
    <div className="mt-2 space-y-2">
      {files.map((f) => (
        <details key={f.file} open={open} data-testid={testId}>
          <summary className="cursor-pointer font-mono text-xs">
            {f.file} <span className="text-emerald-700">+{f.additions}</span> <span className="text-red-700">−{f.deletions}</span>{" "}
            <span className="text-slate-500">{f.status}</span>
          </summary>
          <DiffView diff={f.patch} />
        </details>
      ))}
    </div>
  );
}

// Stays mounted after a merge or discard, so what happened stays said.
function WorktreeActions({ sessionId, baseRef, fileCount, active }: { sessionId: string; baseRef: string | null; fileCount: number; active: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const router = useRouter();
  // The page too: a merged or discarded worktree takes the session's prompt box away.
  const done = {
    onSettled: () => {
      void queryClient.invalidateQueries(trpc.worktree.diff.queryFilter({ sessionId }));
      void queryClient.invalidateQueries(trpc.session.get.queryFilter({ sessionId }));
      router.refresh();
    },
  };
  const merge = useMutation(trpc.worktree.merge.mutationOptions(done));
  const discard = useMutation(trpc.worktree.discard.mutationOptions(done));
  const download = useMutation({
    mutationFn: async () => {
      const { fileName, patch } = await queryClient.fetchQuery({ ...trpc.worktree.patch.queryOptions({ sessionId }), staleTime: 0 });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([patch], { type: "text/x-diff" }));
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    },
  });
  const error = merge.error ?? discard.error ?? download.error;
  const button = "rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-50";
  const busy = merge.isPending || discard.isPending;
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2">
      {active && baseRef && (
        <button
          type="button"
          className={button}
          disabled={busy || fileCount === 0}
          onClick={() => merge.mutate({ sessionId })}
          title={`Commits the changes to ${baseRef} and removes this worktree: the session cannot be prompted afterwards (fork it to go on).`}
        >
          Merge into {baseRef}
        </button>
      )}
      <button type="button" className={button} disabled={download.isPending || fileCount === 0} onClick={() => download.mutate()}>
        Download patch
      </button>
      {!active ? null : confirmDiscard ? (
        <span className="inline-flex gap-2" onKeyDown={(e) => e.key === "Escape" && setConfirmDiscard(false)}>
          <button type="button" className={`${button} border-red-300 text-red-700`} disabled={busy} onClick={() => discard.mutate({ sessionId })}>
            Really discard the worktree and its branch
          </button>
          <button type="button" autoFocus className={button} disabled={busy} onClick={() => setConfirmDiscard(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className={button} disabled={busy} onClick={() => setConfirmDiscard(true)}>
          Discard…
        </button>
      )}
      {merge.data && (
        <span className="text-xs text-emerald-700" role="status">
          Merged ({merge.data.kind}) as {merge.data.commit.slice(0, 10)}.
        </span>
      )}
      {error && (
        <span className="text-xs text-red-700" role="alert">
          {error.message}
        </span>
      )}
    </div>
  );
}
