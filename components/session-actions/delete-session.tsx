"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { deleteConsequences, type DeleteTarget } from "./consequences";

/**
 * "Delete" for operators, with a confirmation naming the session and what goes. Once it is gone
 * the dashboard's list drops the row and a session page shows the archive.
 */
export function DeleteSession({ target }: { target: DeleteTarget }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  // A modal dialog: above the dashboard table's scrolling box, focus kept inside, Esc closes it.
  const dialog = useRef<HTMLDialogElement>(null);
  // Focus starts on the safe answer: Enter must not delete (showModal would focus Delete, the first button).
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!asking) return;
    dialog.current?.showModal();
    cancel.current?.focus();
  }, [asking]);
  const remove = useMutation(
    trpc.session.delete.mutationOptions({
      // Not awaited: a page's queries of the session it just deleted may take long to answer,
      // and the archive its page now is must show at once.
      onSuccess: () => {
        setAsking(false);
        router.refresh();
        void queryClient.invalidateQueries();
      },
    }),
  );
  const [question, ...details] = deleteConsequences(target);
  return (
    <span className="inline-block">
      <button
        type="button"
        onClick={() => setAsking(true)}
        aria-expanded={asking}
        data-testid="delete-session"
        className="rounded-md bg-white px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-300 hover:bg-red-50"
      >
        Delete
      </button>
      {asking && (
        <dialog
          ref={dialog}
          role="alertdialog"
          aria-label={question}
          data-testid="delete-confirm"
          onClose={() => setAsking(false)}
          className="m-auto w-96 max-w-[90vw] space-y-2 rounded-md border border-red-300 bg-white p-4 text-left text-sm text-slate-700 shadow-lg backdrop:bg-slate-900/30"
        >
          <p className="font-medium text-slate-900">{question}</p>
          {details.map((line) => (
            <p key={line}>{line}</p>
          ))}
          {remove.error && (
            <p className="text-red-700" role="alert">
              {remove.error.message}
            </p>
          )}
          <div className="flex gap-2">
            <button
              type="button"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ sessionId: target.sessionId })}
              className="rounded-md bg-red-700 px-3 py-1 font-medium text-white hover:bg-red-800 disabled:opacity-50"
            >
              {remove.isPending ? "Deleting…" : "Delete"}
            </button>
            <button ref={cancel} type="button" onClick={() => setAsking(false)} className="rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50">
              Cancel
            </button>
          </div>
        </dialog>
      )}
    </span>
  );
}
