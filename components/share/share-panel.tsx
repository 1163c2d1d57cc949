"use client";

import { useCan } from "~/components/auth/use-me";
import { ShareForm } from "./share-form";
import { ShareLinks } from "./share-links";

/** On a session page: share its tree, and the links already made for it. */
export function SharePanel({ sessionId }: { sessionId: string }) {
  const canShare = useCan("operator");
  return (
    <details className="mt-4 rounded-lg border border-slate-200 bg-white p-3" data-testid="share-panel">
      <summary className="cursor-pointer text-sm font-medium text-slate-700">Share</summary>
      <div className="mt-3 space-y-4">
        {canShare && <ShareForm sessionId={sessionId} />}
        <ShareLinks sessionId={sessionId} />
      </div>
    </details>
  );
}
