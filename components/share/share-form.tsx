"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { buttonClass, fieldClass, FormError } from "~/components/auth/fields";
import { useHydrated } from "~/components/layout/use-hydrated";
import { useTRPC } from "~/components/trpc/react";

const EXPIRY = [
  { label: "1 day", value: 24 },
  { label: "7 days", value: 168 },
  { label: "30 days", value: 720 },
  { label: "Never", value: "never" },
] as const;

/** Makes a read-only link to the whole tree; the link is shown once, to copy. Operators only. */
export function ShareForm({ sessionId }: { sessionId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [expiry, setExpiry] = useState<string>("168");
  const [include, setInclude] = useState({ subAgents: true, reasoning: true, toolOutputs: true });
  const create = useMutation(trpc.share.create.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.share.pathKey() }) }));
  const hydrated = useHydrated();
  const url = create.data ? `${window.location.origin}${create.data.path}` : undefined;
  const toggle = (key: keyof typeof include, label: string) => (
    <label className="flex items-center gap-1.5 text-sm text-slate-700">
      <input type="checkbox" checked={include[key]} onChange={(e) => setInclude({ ...include, [key]: e.target.checked })} />
      {label}
    </label>
  );
  return (
    <div className="space-y-2">
      <form
        aria-label="Share this session"
        className="flex flex-wrap items-center gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ sessionId, expiresInHours: expiry === "never" ? "never" : Number(expiry), include });
        }}
      >
        {/* Until hydrated: a box unticked before would be ticked again, silently. */}
        <fieldset disabled={!hydrated} className="contents">
          <label className="flex items-center gap-1.5 text-sm text-slate-700">
            Expires after
            <select aria-label="Expires after" value={expiry} onChange={(e) => setExpiry(e.target.value)} className="rounded border border-slate-300 px-1 py-0.5 text-sm">
              {EXPIRY.map((o) => (
                <option key={o.label} value={String(o.value)}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          {toggle("subAgents", "Sub-agents")}
          {toggle("reasoning", "Reasoning")}
          {toggle("toolOutputs", "Tool outputs")}
          <button type="submit" disabled={create.isPending} className={buttonClass}>
            Make share link
          </button>
        </fieldset>
      </form>
      <FormError message={create.error?.message} />
      {url && (
        <div className="space-y-1 text-sm">
          <p>Anyone with this link can read the whole tree, with secrets redacted. It is not shown again:</p>
          <div className="flex gap-2">
            <input aria-label="Share link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} className={`${fieldClass} flex-1 font-mono`} />
            <button type="button" className="text-sm text-sky-700 underline" onClick={() => void navigator.clipboard?.writeText(url)}>
              Copy
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
