"use client";

import { AppLink } from "~/components/layout/app-link";
import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import type { ToolEntry } from "~/components/session/types";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { useCommandTarget } from "./request-actions";

/**
 * On a bash call the runner let through without asking: which remembered "Always allow" rule
 * did it (server/permission-scope derives it; opencode reports nothing). Checked while the call
 * runs and once more when it ends, since the archive stores the call a moment after it is seen.
 */
export function AutoApprovalNote({ tool, sessionOpencodeId }: { tool: ToolEntry; sessionOpencodeId: string }) {
  const trpc = useTRPC();
  const sessionId = useCommandTarget(sessionOpencodeId);
  const running = tool.status === "pending" || tool.status === "running";
  const query = useQuery({ ...trpc.session.autoApprovals.queryOptions({ sessionId }), refetchInterval: running ? 2_000 : false });
  const { refetch } = query;
  useEffect(() => {
    if (running) return;
    const timer = setTimeout(() => void refetch(), 1_500);
    return () => clearTimeout(timer);
  }, [running, refetch]);
  const approval = query.data?.find((a) => a.callId === tool.callId);
  if (!approval) return null;
  return (
    <p data-testid="auto-approval" className="text-xs text-slate-700">
      Ran without asking: auto-approved by the rule{" "}
      <code className="font-mono">{approval.rule.patterns.map(markUnrepresentable).join(", ")}</code> that {markUnrepresentable(approval.rule.by)} chose to
      always allow in{" "}
      <AppLink href={`/sessions/${approval.rule.session.id}`} className="text-sky-700 underline">
        {markUnrepresentable(approval.rule.session.title || "Untitled session")}
      </AppLink>
      .
    </p>
  );
}
