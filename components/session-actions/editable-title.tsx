"use client";

import { useState, type KeyboardEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { titleProblem } from "~/server/sessions/title";

const small = "rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ring-slate-300 bg-white text-slate-700 hover:bg-slate-50";

/**
 * A session's title with "Rename" beside it for operators: an inline box where Enter saves and
 * Esc cancels. A title the server would refuse (empty, too long) is refused here first, saying why.
 * `children` shows the title while it is not being edited (a heading, a dashboard link).
 */
export function EditableTitle(props: { sessionId: string; title: string; canRename: boolean; children: ReactNode }) {
  const { sessionId, title, canRename } = props;
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string>();
  const rename = useMutation(
    trpc.session.rename.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        // The live page reads the session and lists; the archived page is rendered on the server.
        // Not awaited: the rename is done, and the field must open again at once.
        router.refresh();
        void queryClient.invalidateQueries();
      },
      onError: (error) => setProblem(error.message),
    }),
  );

  if (draft === null) {
    return (
      <>
        {props.children}
        {canRename && (
          <button type="button" className={small} onClick={() => (setDraft(title), setProblem(undefined))} data-testid="rename-session">
            Rename
          </button>
        )}
      </>
    );
  }

  const save = () => {
    const refused = titleProblem(draft);
    if (refused) setProblem(refused);
    else rename.mutate({ sessionId, title: draft });
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      save();
    } else if (event.key === "Escape") {
      // Esc elsewhere on the page aborts the run: here it only closes the box.
      event.preventDefault();
      event.stopPropagation();
      setDraft(null);
    }
  };
  return (
    <span className="flex min-w-0 flex-wrap items-center gap-2" data-testid="rename-form">
      <input
        autoFocus
        aria-label="Session title"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? "rename-problem" : undefined}
        value={draft}
        disabled={rename.isPending}
        onChange={(e) => (setDraft(e.target.value), setProblem(undefined))}
        onKeyDown={onKey}
        className="w-80 max-w-full rounded-md border border-slate-300 px-2 py-1 text-sm font-medium"
      />
      <span className="text-xs text-slate-600">Enter saves, Esc cancels</span>
      {problem && (
        <span id="rename-problem" role="alert" className="text-xs text-red-700" data-testid="rename-problem">
          {problem}
        </span>
      )}
    </span>
  );
}
