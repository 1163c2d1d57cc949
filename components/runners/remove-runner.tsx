"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";

/** Removes a remote runner that holds no session, after the admin says so a second time. */
export function RemoveRunner({ runnerId, name }: { runnerId: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const remove = useMutation(trpc.runner.remove.mutationOptions({ onSuccess: () => router.refresh() }));
  const button = "rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50";
  return (
    <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
      {asking ? (
        <>
          <span>Remove {name}? Its address and credentials go; it holds no session.</span>
          <button type="button" disabled={remove.isPending} onClick={() => remove.mutate({ runnerId })} className={`${button} bg-red-700 text-white`}>
            {remove.isPending ? "Removing…" : "Remove"}
          </button>
          <button type="button" onClick={() => (setAsking(false), remove.reset())} className={`${button} border border-slate-300`}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setAsking(true)} className={`${button} border border-red-300 text-red-800`}>
          Remove this runner
        </button>
      )}
      {remove.error && (
        <span role="alert" className="text-red-700">
          {remove.error.message}
        </span>
      )}
    </div>
  );
}
