"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { ModelOptions, modelKey } from "~/components/session/model-options";

type RunnerChoice = { id: string; name: string; status: string; defaultDirectory?: string; worktreeByDefault?: boolean };

const field = "w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm disabled:bg-slate-50";

/** Starts a session on a runner with a first prompt, then opens its live page. */
export function NewSessionForm({ runners }: { runners: RunnerChoice[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const idOf = (name: string) => `${ids}-${name}`;
  const serving = runners.filter((r) => r.status === "healthy");
  const [runnerId, setRunnerId] = useState(serving[0]?.id ?? "");
  const runner = runners.find((r) => r.id === runnerId);
  const [directory, setDirectory] = useState(runner?.defaultDirectory ?? "");
  const [agent, setAgent] = useState("");
  const [model, setModel] = useState("");
  const [title, setTitle] = useState("");
  const [prompt, setPrompt] = useState("");
  // Unset follows the runner's default; a tick or untick is the user's choice.
  const [ownWorktree, setOwnWorktree] = useState<boolean | undefined>(undefined);
  const worktree = ownWorktree ?? runner?.worktreeByDefault ?? false;
  const [base, setBase] = useState("");

  useEffect(() => {
    if (!runnerId && serving[0]) setRunnerId(serving[0].id);
  }, [runnerId, serving]);
  useEffect(() => {
    if (runner?.defaultDirectory) setDirectory((d) => d || runner.defaultDirectory!);
  }, [runner?.defaultDirectory]);

  const options = useQuery({ ...trpc.runner.options.queryOptions({ runnerId }), enabled: Boolean(runnerId), retry: false });
  const agents = options.data?.agents.filter((a) => a.mode !== "subagent") ?? [];
  const models = options.data?.models ?? [];

  const create = useMutation(trpc.session.create.mutationOptions());
  const busy = create.isPending;
  const error = create.error;

  // The first prompt goes with the session: the server sends it, whether or not this page stays.
  const submit = async () => {
    const chosen = models.find((m) => modelKey(m) === model);
    const session = await create.mutateAsync({
      runnerId,
      directory,
      title: title.trim() || undefined,
      worktree,
      base: worktree && base.trim() ? base.trim() : undefined,
      prompt: { text: prompt, agent: agent || undefined, model: chosen ? { providerID: chosen.providerID, modelID: chosen.modelID } : undefined },
    });
    router.push(`/sessions/${session.id}`);
  };

  return (
    <form
      aria-label="New session"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        void submit().catch(() => undefined);
      }}
    >
      <div className="space-y-1 text-sm">
        <label htmlFor={idOf("runner")} className="block font-medium text-slate-700">Runner</label>
        <select id={idOf("runner")} value={runnerId} onChange={(e) => setRunnerId(e.target.value)} className={field} required>
          {serving.length === 0 && <option value="">No runner is serving</option>}
          {serving.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1 text-sm">
        <label htmlFor={idOf("directory")} className="block font-medium text-slate-700">Directory</label>
        <input id={idOf("directory")} value={directory} onChange={(e) => setDirectory(e.target.value)} className={`${field} font-mono`} required />
      </div>
      <div className="flex items-center gap-2 text-sm">
        <input id={idOf("worktree")} type="checkbox" checked={worktree} onChange={(e) => setOwnWorktree(e.target.checked)} />
        <label htmlFor={idOf("worktree")} className="font-medium text-slate-700">
          Own git worktree
          <span className="ml-1 font-normal text-slate-500">(a checkout of its own on a new branch: parallel sessions never clobber each other)</span>
        </label>
      </div>
      <div className="space-y-1 text-sm">
        <label htmlFor={idOf("base")} className="block font-medium text-slate-700">Base branch, tag or commit (optional)</label>
        <input
          id={idOf("base")}
          value={base}
          onChange={(e) => setBase(e.target.value)}
          disabled={!worktree}
          placeholder="the directory's current HEAD"
          className={`${field} font-mono`}
        />
      </div>
      <div className="space-y-1 text-sm">
        <label htmlFor={idOf("agent")} className="block font-medium text-slate-700">Agent</label>
        <select id={idOf("agent")} value={agent} onChange={(e) => setAgent(e.target.value)} className={field}>
          <option value="">Runner default</option>
          {agents.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name}
              {a.description ? ` — ${a.description.slice(0, 60)}` : ""}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1 text-sm">
        <label htmlFor={idOf("model")} className="block font-medium text-slate-700">Model</label>
        <select id={idOf("model")} value={model} onChange={(e) => setModel(e.target.value)} className={field}>
          <option value="">Runner default (its configured model)</option>
          <ModelOptions models={models} />
        </select>
      </div>
      <div className="space-y-1 text-sm md:col-span-2">
        <label htmlFor={idOf("title")} className="block font-medium text-slate-700">Title (optional)</label>
        <input id={idOf("title")} value={title} onChange={(e) => setTitle(e.target.value)} className={field} maxLength={200} />
      </div>
      <div className="space-y-1 text-sm md:col-span-2">
        <label htmlFor={idOf("prompt")} className="block font-medium text-slate-700">First prompt</label>
        <textarea id={idOf("prompt")} value={prompt} onChange={(e) => setPrompt(e.target.value)} rows={3} className={field} required />
      </div>
      <div className="flex items-center gap-3 md:col-span-2">
        <button
          type="submit"
          disabled={busy || !runnerId || !prompt.trim() || !directory.trim()}
          className="rounded-md bg-sky-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-50"
        >
          {busy ? "Starting…" : "Start session"}
        </button>
        {options.isError && <span className="text-xs text-amber-700">{options.error.message}</span>}
        {error && <span className="text-xs text-red-700">{error.message}</span>}
        <span className="text-xs text-slate-500">Tip: with the Demo model, put a marker like demo:task=2 in the prompt.</span>
      </div>
    </form>
  );
}
