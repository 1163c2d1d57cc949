"use client";

import { PermissionCard, QuestionCard } from "~/components/session/requests";
import { subtreeIds } from "~/components/session/tree";
import { useLive } from "./live-context";
import { PermissionActions, QuestionActions } from "./request-actions";

/**
 * Requests waiting in a sub-agent of this session. They also show inside the sub-agent's
 * conversation, but that may be collapsed: a blocked agent must never go unnoticed.
 */
export function PendingElsewhere({ focusSessionId }: { focusSessionId: string }) {
  const { tree } = useLive();
  const waiting = subtreeIds(tree, focusSessionId)
    .filter((id) => id !== focusSessionId)
    .map((id) => tree.sessions[id]!)
    .filter((view) => Object.keys(view.permissions).length + Object.keys(view.questions).length > 0);
  if (waiting.length === 0) return null;
  return (
    <section data-testid="pending-elsewhere" aria-label="Sub-agents waiting for an answer" className="max-h-64 space-y-2 overflow-y-auto">
      {waiting.map((view) => (
        <div key={view.sessionId} className="space-y-2">
          <p className="text-xs font-medium text-amber-900">Sub-agent “{view.session?.title ?? view.sessionId}” is waiting:</p>
          {Object.values(view.permissions).map((request) => (
            <PermissionCard
              key={request.id}
              request={request}
              actions={<PermissionActions request={request} sessionOpencodeId={view.sessionId} />}
            />
          ))}
          {Object.values(view.questions).map((request) => (
            <QuestionCard
              key={request.id}
              request={request}
              actions={<QuestionActions request={request} sessionOpencodeId={view.sessionId} />}
            />
          ))}
        </div>
      ))}
    </section>
  );
}
