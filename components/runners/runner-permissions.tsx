"use client";

import { AppLink } from "~/components/layout/app-link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { TimeAgo } from "~/components/session/time-ago";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { RunnerSwitch } from "./runner-switch";

/**
 * The runner's "Always allow" rules and the admin switch for offering it. opencode 1.18 keeps the
 * rules in the runner's memory with no way to remove one (server/permission-scope/README.md),
 * so the list says how to forget them instead of offering a revoke button.
 */
export function RunnerPermissions({ runnerId, kind, alwaysAllow, isAdmin }: { runnerId: string; kind: "embedded" | "remote"; alwaysAllow: boolean; isAdmin: boolean }) {
  const trpc = useTRPC();
  const rules = useQuery(trpc.runner.rememberedRules.queryOptions({ runnerId }));
  const rows = rules.data ?? [];
  return (
    <div data-testid="runner-permissions" className="mt-4">
      <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">Remembered permissions</h3>
      {isAdmin && (
        <RunnerSwitch runnerId={runnerId} setting="setAlwaysAllow" checked={alwaysAllow}>
          Offer “Always allow” on permission requests
        </RunnerSwitch>
      )}
      {rows.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">{rules.isPending ? "Reading…" : "No “Always allow” rules given from Flightdeck since the runner started."}</p>
      ) : (
        <ul className="mt-1 divide-y divide-slate-100">
          {rows.map((r) => (
            <li key={r.id} data-testid="remembered-rule" className="flex flex-wrap items-center gap-x-3 py-1.5 text-sm">
              <code className="font-mono text-xs">
                {markUnrepresentable(r.permission)}: {r.patterns.map(markUnrepresentable).join(", ")}
              </code>
              <span className="min-w-0 truncate font-mono text-xs text-slate-600">in {markUnrepresentable(r.directory)}</span>
              <span className="text-xs text-slate-600">
                by {markUnrepresentable(r.by)} in{" "}
                <AppLink href={`/sessions/${r.session.id}`} className="text-sky-700 hover:underline">
                  {markUnrepresentable(r.session.title || "Untitled session")}
                </AppLink>
                , <TimeAgo at={r.at} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-1 text-xs text-slate-600">
        opencode keeps these rules in the runner’s memory, for every session in the same directory, and cannot forget one: restart
        the runner to forget them all.
        {kind === "remote" && " Flightdeck cannot see a remote runner restart, so this list may show rules it has already forgotten."}
        {" "}Rules chosen outside Flightdeck (a terminal) are not listed.
      </p>
    </div>
  );
}
