"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { buttonClass, fieldClass, FormError } from "~/components/auth/fields";
import { useTRPC } from "~/components/trpc/react";

/** Admins: switch every link off (and on again, which restores them), and add redaction patterns. */
export function ShareSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.share.settings.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.share.pathKey() });
  const setEnabled = useMutation(trpc.share.setEnabled.mutationOptions({ onSettled: refresh }));
  const setPatterns = useMutation(trpc.share.setPatterns.mutationOptions({ onSettled: refresh }));
  const [patterns, setPatternsText] = useState("");
  useEffect(() => {
    if (settings.data) setPatternsText(settings.data.patterns.join("\n"));
  }, [settings.data]);
  if (!settings.data) return null;
  const enabled = settings.data.enabled;
  return (
    <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="share-settings">
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-sm" data-testid="sharing-state">
          Sharing is <strong>{enabled ? "on" : "off"}</strong>
          {enabled ? "." : ": every link answers “not available” until it is switched on again."}
        </p>
        <button type="button" className={buttonClass} disabled={setEnabled.isPending} onClick={() => setEnabled.mutate({ enabled: !enabled })}>
          {enabled ? "Switch all sharing off" : "Switch sharing on"}
        </button>
      </div>
      <form
        className="space-y-2"
        aria-label="Redaction patterns"
        onSubmit={(e) => {
          e.preventDefault();
          setPatterns.mutate({ patterns: patterns.split("\n").map((p) => p.trim()).filter(Boolean) });
        }}
      >
        <label className="block space-y-1 text-sm">
          <span className="block font-medium text-slate-700">Extra redaction patterns</span>
          <span className="block text-xs text-slate-500">
            One regular expression a line (e.g. <code>ACME-[0-9A-F]{"{24}"}</code>). Applied to every link on its next request, on top of the built-in detectors.
          </span>
          <textarea value={patterns} onChange={(e) => setPatternsText(e.target.value)} rows={4} className={`${fieldClass} font-mono`} />
        </label>
        <button type="submit" className={buttonClass} disabled={setPatterns.isPending}>
          Save patterns
        </button>
        <FormError message={setPatterns.error?.message ?? setEnabled.error?.message} />
      </form>
    </section>
  );
}
