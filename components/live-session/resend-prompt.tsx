"use client";

import { useMutation } from "@tanstack/react-query";
import { useCan } from "~/components/auth/use-me";
import { useTRPC } from "~/components/trpc/react";
import { useCommandTarget } from "./request-actions";

/** Sends a prompt an abort kept from running once more, as a new turn. Operators only. */
export function ResendPrompt({ text, sessionOpencodeId }: { text: string; sessionOpencodeId: string }) {
  const trpc = useTRPC();
  const sessionId = useCommandTarget(sessionOpencodeId);
  const prompt = useMutation(trpc.session.prompt.mutationOptions());
  const canOperate = useCan("operator");
  if (!canOperate) return null;
  return (
    <>
      <button
        type="button"
        disabled={prompt.isPending || prompt.isSuccess}
        onClick={() => prompt.mutate({ sessionId, text })}
        className="rounded-md bg-white px-2 py-1 font-medium text-slate-900 hover:bg-slate-100 disabled:opacity-50"
      >
        {prompt.isSuccess ? "Sent again" : "Send again"}
      </button>
      {prompt.error && <span className="text-red-200">{prompt.error.message}</span>}
    </>
  );
}
