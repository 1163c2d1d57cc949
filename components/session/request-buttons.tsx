"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { AlwaysAllowScope } from "./always-allow-scope";
import type { PermissionEntry, QuestionEntry } from "./types";

const button =
  "rounded-md px-3 py-1.5 text-sm font-medium shadow-sm disabled:cursor-not-allowed disabled:opacity-50";

// What an answer changes: the audit lines under requests, and what needs someone.
function useAnswersRefresh() {
  const trpc = useTRPC();
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: trpc.session.answers.queryKey() }),
      client.invalidateQueries({ queryKey: trpc.session.needsYou.queryKey() }),
    ]);
}

/** `sessionId`: the session (row id) that asked; `blocked`: why answering is not possible now. */
type AnswerProps<T> = { request: T; sessionId: string; blocked?: string | null };

/** Allow once, always, or reject a permission request. */
export function PermissionButtons({ request, sessionId, blocked: answerBlocked }: AnswerProps<PermissionEntry>) {
  const trpc = useTRPC();
  const refresh = useAnswersRefresh();
  const reply = useMutation(trpc.session.replyPermission.mutationOptions({ onSuccess: refresh }));
  const send = (value: "once" | "always" | "reject") => reply.mutate({ sessionId, requestId: request.id, reply: value });
  const scope = useQuery(trpc.session.permissionScope.queryOptions({ sessionId }));
  const disabled = reply.isPending || reply.isSuccess || Boolean(answerBlocked);
  return (
    <>
      {scope.data && <AlwaysAllowScope request={request} scope={scope.data} />}
      <button type="button" disabled={disabled} onClick={() => send("once")} className={`${button} bg-emerald-700 text-white hover:bg-emerald-800`}>
        Allow once
      </button>
      {scope.data?.alwaysAllow && (
        <button type="button" disabled={disabled} onClick={() => send("always")} className={`${button} bg-white text-emerald-800 ring-1 ring-emerald-300 hover:bg-emerald-50`}>
          Always allow
        </button>
      )}
      <button type="button" disabled={disabled} onClick={() => send("reject")} className={`${button} bg-white text-red-700 ring-1 ring-red-300 hover:bg-red-50`}>
        Reject
      </button>
      {answerBlocked && <span className="self-center text-xs text-amber-800">{answerBlocked}</span>}
      {reply.error && <span className="self-center text-xs text-red-700">{reply.error.message}</span>}
    </>
  );
}

/** Picks or types the answers to a question request, or dismisses it. */
export function QuestionForm({ request, sessionId, blocked: answerBlocked }: AnswerProps<QuestionEntry>) {
  const trpc = useTRPC();
  const refresh = useAnswersRefresh();
  const [picked, setPicked] = useState<string[][]>(() => request.questions.map(() => []));
  const [custom, setCustom] = useState<string[]>(() => request.questions.map(() => ""));
  const reply = useMutation(trpc.session.replyQuestion.mutationOptions({ onSuccess: refresh }));
  const reject = useMutation(trpc.session.rejectQuestion.mutationOptions({ onSuccess: refresh }));
  const busy = reply.isPending || reject.isPending || reply.isSuccess || reject.isSuccess || Boolean(answerBlocked);

  const toggle = (qi: number, label: string, multiple: boolean) =>
    setPicked((all) =>
      all.map((list, i) => (i !== qi ? list : multiple ? (list.includes(label) ? list.filter((l) => l !== label) : [...list, label]) : [label])),
    );
  const answers = request.questions.map((_, i) => [...picked[i]!, ...(custom[i]!.trim() ? [custom[i]!.trim()] : [])]);
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        reply.mutate({ sessionId, requestId: request.id, answers });
      }}
    >
      {request.questions.map((q, qi) => (
        <fieldset key={qi} className="space-y-1">
          <legend className="sr-only">{q.question}</legend>
          {q.options.map((o) => (
            <label key={o.label} className="flex items-start gap-2 text-sm">
              <input
                type={q.multiple ? "checkbox" : "radio"}
                name={`q-${request.id}-${qi}`}
                checked={picked[qi]!.includes(o.label)}
                onChange={() => toggle(qi, o.label, Boolean(q.multiple))}
                disabled={busy}
              />
              <span>
                {o.label}
                {o.description && <span className="text-xs text-amber-800"> — {o.description}</span>}
              </span>
            </label>
          ))}
          {q.custom !== false && (
            <input
              type="text"
              aria-label="Your answer"
              placeholder="Type your own answer"
              value={custom[qi]}
              onChange={(e) => setCustom((all) => all.map((v, i) => (i === qi ? e.target.value : v)))}
              disabled={busy}
              className="w-full rounded-md border border-amber-300 bg-white px-2 py-1 text-sm"
            />
          )}
        </fieldset>
      ))}
      <div className="flex gap-2">
        <button type="submit" disabled={busy || answers.every((a) => a.length === 0)} className={`${button} bg-emerald-700 text-white`}>
          Answer
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => reject.mutate({ sessionId, requestId: request.id })}
          className={`${button} bg-white text-red-700 ring-1 ring-red-300`}
        >
          Dismiss
        </button>
      </div>
      {answerBlocked && <p className="text-xs text-amber-800">{answerBlocked}</p>}
      {(reply.error ?? reject.error) && <p className="text-xs text-red-700">{(reply.error ?? reject.error)!.message}</p>}
    </form>
  );
}
