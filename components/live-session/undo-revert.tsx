"use client";

import { useMutation } from "@tanstack/react-query";
import { useCan } from "~/components/auth/use-me";
import { useTRPC } from "~/components/trpc/react";
import { useLive } from "./live-context";
import { useCommandTarget } from "./request-actions";
import { UndoButton } from "~/components/lineage/undo-button";

/**
 * "Undo revert" while the runner still holds the revert (until the next prompt makes it
 * permanent): brings the turns and their sub-agents back. Operators only; the page updates from
 * the snapshot the unrevert sends to its viewers.
 */
export function UndoRevert({ sessionOpencodeId }: { sessionOpencodeId: string }) {
  const trpc = useTRPC();
  const { tree } = useLive();
  const sessionId = useCommandTarget(sessionOpencodeId);
  const unrevert = useMutation(trpc.session.unrevert.mutationOptions());
  const canOperate = useCan("operator");
  const pending = Boolean(tree.sessions[sessionOpencodeId]?.session?.revert);
  if (!pending) return <span className="text-xs text-amber-800">Made permanent by the prompt after it.</span>;
  if (!canOperate) return null;
  const failed = unrevert.data?.steps.find((step) => !step.ok);
  return (
    <>
      <UndoButton label="Undo revert" pending={unrevert.isPending} onClick={() => unrevert.mutate({ sessionId })} />
      {(unrevert.error || failed) && (
        <span role="alert" className="w-full text-xs text-red-700">
          {unrevert.error?.message ?? `Could not undo the revert of “${failed!.title}”: ${failed!.error}`}
        </span>
      )}
    </>
  );
}
