"use client";

import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";
import { markUnrepresentable } from "~/server/store/lossless-text";
import type { PermissionEntry } from "./types";

type Scope = inferRouterOutputs<AppRouter>["session"]["permissionScope"];

/** Says, before anyone picks "Always allow", what opencode will remember and for whom. */
export function AlwaysAllowScope({ request, scope }: { request: PermissionEntry; scope: Scope }) {
  const runner = `runner “${scope.runner.name}”`;
  if (!scope.alwaysAllow) {
    return (
      <p data-testid="always-allow-scope" className="basis-full text-xs text-amber-900">
        An admin switched “Always allow” off for {runner}: allow once or reject.
      </p>
    );
  }
  if (request.always.length === 0) {
    return (
      <p data-testid="always-allow-scope" className="basis-full text-xs text-amber-900">
        “Always allow” remembers nothing for this request (opencode names no pattern): it allows this call once.
      </p>
    );
  }
  return (
    <p data-testid="always-allow-scope" className="basis-full text-xs text-amber-900">
      “Always allow” lets the agent run{" "}
      {request.always.map((p, i) => (
        <span key={p}>
          {i > 0 && ", "}
          <code className="rounded bg-amber-100 px-1 font-mono">{markUnrepresentable(p)}</code>
        </span>
      ))}{" "}
      ({markUnrepresentable(request.permission)}) without asking, in every session of {runner} working in{" "}
      <code className="font-mono">{markUnrepresentable(scope.directory)}</code>, until that runner restarts. The Runners page lists these rules.
    </p>
  );
}
