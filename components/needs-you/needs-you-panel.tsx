"use client";

import { AppLink } from "~/components/layout/app-link";
import { useQuery } from "@tanstack/react-query";
import { useCan } from "~/components/auth/use-me";
import { PermissionButtons, QuestionForm } from "~/components/session/request-buttons";
import { PermissionCard, QuestionCard } from "~/components/session/requests";
import { useTRPC } from "~/components/trpc/react";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { NotificationToggle } from "./notification-toggle";
import type { WaitingView } from "./types";
import { TimeAgo } from "~/components/session/time-ago";

/** Pinned on the dashboard: every request waiting in any tree, answerable here. */
export function NeedsYouPanel() {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.session.needsYou.queryOptions());
  const waiting = data?.waiting ?? [];
  // A viewer cannot answer: for them the requests wait for an operator, as the header says.
  const canOperate = useCan("operator");
  const heading = waiting.length === 0 ? (canOperate ? "Nothing needs you now" : "Nothing is waiting for an operator") : canOperate ? `Needs you (${waiting.length})` : `Waiting for an operator (${waiting.length})`;
  return (
    <section id="needs-you" aria-label="Needs you" data-testid="needs-you" className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-sm font-semibold text-slate-800">
          {heading}
        </h2>
        <NotificationToggle />
      </div>
      {waiting.length > 0 && (
        <div className="max-h-[28rem] space-y-3 overflow-y-auto">
          {waiting.map((w) => (
            <WaitingItem key={`${w.sessionId}:${w.request.id}`} waiting={w} />
          ))}
        </div>
      )}
    </section>
  );
}

function WaitingItem({ waiting: w }: { waiting: WaitingView }) {
  const canOperate = useCan("operator");
  const { request } = w;
  return (
    <div data-testid="needs-you-item" data-request-id={request.id} className="space-y-1">
      <p className="text-xs text-slate-700">
        <AppLink href={`/sessions/${w.rootId}`} className="font-medium text-slate-900 underline-offset-2 hover:underline">
          {markUnrepresentable(w.rootTitle || "Untitled session")}
        </AppLink>
        {w.sessionId !== w.rootId && (
          <>
            {" · sub-agent "}
            <AppLink href={`/sessions/${w.sessionId}`} className="underline-offset-2 hover:underline">
              “{markUnrepresentable(w.sessionTitle || "Untitled")}”
            </AppLink>
          </>
        )}
        {` · ${w.runnerName}`}
        {w.since && (
          <>
            {" · asked "}
            <TimeAgo at={w.since} />
          </>
        )}
      </p>
      {request.type === "permission" ? (
        <PermissionCard request={request} actions={canOperate ? <PermissionButtons request={request} sessionId={w.sessionId} /> : undefined} />
      ) : (
        <QuestionCard request={request} actions={canOperate ? <QuestionForm request={request} sessionId={w.sessionId} /> : undefined} />
      )}
    </div>
  );
}
