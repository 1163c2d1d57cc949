"use client";

import { useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useShortcut } from "~/components/keyboard/use-shortcut";
import { useTRPC } from "~/components/trpc/react";
import { ModelOptions, modelKey } from "~/components/session/model-options";

type Props = {
  sessionId: string;
  runnerId: string;
  /** A turn is open on the runner (running, waiting or stalled): offer Abort. */
  busy: boolean;
  /** Why prompting is impossible right now; the box is disabled and says so. */
  blocked?: string;
  /** The runner restarted since the session last ran: sending needs a confirmation. */
  stale: boolean;
  onSent: () => void;
};


export function PromptBox({ sessionId, runnerId, busy, blocked, stale, onSent }: Props) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const [agent, setAgent] = useState("");
  const [model, setModel] = useState("");
  const [confirmStale, setConfirmStale] = useState(false);
  const options = useQuery({ ...trpc.runner.options.queryOptions({ runnerId }), enabled: !blocked, staleTime: 60_000, retry: false });
  const prompt = useMutation(
    trpc.session.prompt.mutationOptions({
      onSuccess: () => {
        setText("");
        setConfirmStale(false);
        onSent();
      },
    }),
  );
  const abort = useMutation(trpc.session.abort.mutationOptions());
  useShortcut("escape", () => abort.mutate({ sessionId }), busy && !blocked && !abort.isPending);

  const chosenModel = options.data?.models.find((m) => modelKey(m) === model);
  const canSend = !blocked && text.trim().length > 0 && !prompt.isPending && (!stale || confirmStale);
  const send = () => {
    if (!canSend) return;
    prompt.mutate({
      sessionId,
      text,
      agent: agent || undefined,
      model: chosenModel ? { providerID: chosenModel.providerID, modelID: chosenModel.modelID } : undefined,
      acknowledgeStale: stale ? confirmStale : undefined,
    });
  };
  const primaryAgents = options.data?.agents.filter((a) => a.mode !== "subagent") ?? [];

  return (
    <form
      aria-label="Prompt"
      className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {blocked && (
        <p data-testid="prompt-blocked" className="mb-2 rounded bg-slate-100 px-3 py-1.5 text-sm text-slate-700">
          {blocked}
        </p>
      )}
      {stale && !blocked && (
        <label className="mb-2 flex items-start gap-2 rounded bg-amber-50 px-3 py-1.5 text-sm text-amber-900">
          <input type="checkbox" checked={confirmStale} onChange={(e) => setConfirmStale(e.target.checked)} className="mt-1" />
          The runner restarted or its model configuration changed since this session last ran. Continue it anyway.
        </label>
      )}
      <textarea
        aria-label="Prompt text"
        // The page of a session is where one writes to it: the box is ready when it opens.
        autoFocus={!blocked}
        value={text}
        disabled={Boolean(blocked)}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            send();
          }
        }}
        rows={2}
        placeholder={blocked ? "" : "Ask the agent… (Ctrl+Enter to send)"}
        className="block w-full resize-y rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-sky-500 focus:outline-none disabled:bg-slate-50"
      />
      <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
        {primaryAgents.length > 0 && (
          <select aria-label="Agent" value={agent} onChange={(e) => setAgent(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">Default agent</option>
            {primaryAgents.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
              </option>
            ))}
          </select>
        )}
        {(options.data?.models.length ?? 0) > 0 && (
          <select aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)} className="max-w-64 rounded-md border border-slate-300 px-2 py-1">
            <option value="">Session's model</option>
            <ModelOptions models={options.data!.models} />
          </select>
        )}
        <span className="flex-1" />
        {(prompt.error ?? abort.error) && <span className="text-xs text-red-700">{(prompt.error ?? abort.error)!.message}</span>}
        {busy && (
          <button
            type="button"
            onClick={() => abort.mutate({ sessionId })}
            disabled={abort.isPending || Boolean(blocked)}
            title="Abort the turn (Esc)"
            aria-keyshortcuts="Escape"
            className="rounded-md bg-white px-3 py-1.5 font-medium text-red-700 ring-1 ring-red-300 hover:bg-red-50 disabled:opacity-50"
          >
            {abort.isPending ? "Aborting…" : "Abort"}
          </button>
        )}
        <button
          type="submit"
          disabled={!canSend}
          className="rounded-md bg-slate-900 px-4 py-1.5 font-medium text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-40"
        >
          {prompt.isPending ? "Sending…" : "Send"}
        </button>
      </div>
    </form>
  );
}
