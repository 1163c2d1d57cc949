"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { formatTime } from "~/components/session/format";
import { useRevertPreview } from "./use-revert-preview";
import { UndoButton } from "./undo-button";

// The revert cascade (branch lineage-revert) answers with one step per session it touched; a
// plain revert answers nothing. Whatever comes back is shown, a failed step included.
type Step = { sessionId: string; title: string; action: string; ok: boolean; error?: string };
const stepsOf = (result: unknown): Step[] => (result as { steps?: Step[] } | undefined)?.steps ?? [];

/** "Restore to here": what the revert will undo, then the revert itself once confirmed. */
export function RestoreConfirm({ sessionId, messageId, turnIndex, onClose }: { sessionId: string; messageId: string; turnIndex: number; onClose: () => void }) {
  const trpc = useTRPC();
  const preview = useRevertPreview({ sessionId, messageId }, true);
  const revert = useMutation(trpc.session.revert.mutationOptions());
  // Offered where the revert was confirmed: the conversation's own "Undo revert" may be pages up.
  const unrevert = useMutation(trpc.session.unrevert.mutationOptions());
  const failure = revert.error ?? unrevert.error;
  const p = preview.data;
  return (
    <div role="dialog" aria-label={`Restore to turn ${turnIndex}`} data-testid="restore-confirm" className="mt-2 space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-xs text-slate-700">
      <p className="font-medium text-slate-900">Restore the session to just before turn {turnIndex}?</p>
      {preview.isPending && <p>Reading what the revert would undo…</p>}
      {preview.error && <p className="text-red-700">{preview.error.message}</p>}
      {p && (
        <div className="space-y-1" data-testid="restore-preview">
          <p data-testid="preview-turns">
            {p.turns.length} turn{p.turns.length === 1 ? "" : "s"} undone: {p.turns.map((t) => `#${t.index} (${formatTime(t.startedAt)})`).join(", ")}
          </p>
          <p data-testid="preview-sessions">
            {p.sessions.length === 0
              ? "No sub-agent session is affected."
              : `Sub-agent sessions reverted: ${p.sessions.map((s) => `${"›".repeat(s.depth)} ${s.title || "untitled"} (${s.status})`).join(", ")}`}
          </p>
          <p data-testid="preview-files">{p.files.length === 0 ? "No file changes recorded." : `Files restored: ${p.files.join(", ")}`}</p>
        </div>
      )}
      {revert.isSuccess ? (
        <div data-testid="restore-result">
          <p className="flex items-center gap-2">
            {unrevert.isSuccess ? "Undone: the turns are back." : "Restored."}
            {!unrevert.isSuccess && <UndoButton label="Undo" pending={unrevert.isPending} onClick={() => unrevert.mutate({ sessionId })} />}
          </p>
          <ul>
            {stepsOf(revert.data).map((s) => (
              <li key={s.sessionId} className={s.ok ? "" : "text-red-700"}>
                {s.title || s.sessionId}: {s.action}
                {s.error ? ` (${s.error})` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <div className="flex gap-2">
          <button
            type="button"
            disabled={!p || revert.isPending}
            onClick={() => revert.mutate({ sessionId, messageId })}
            className="rounded-md bg-amber-700 px-3 py-1 font-medium text-white hover:bg-amber-800 disabled:opacity-50"
          >
            {revert.isPending ? "Restoring…" : "Restore"}
          </button>
          <button type="button" onClick={onClose} className="rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50">
            Cancel
          </button>
        </div>
      )}
      {failure && <p className="text-red-700">{failure.message}</p>}
    </div>
  );
}
