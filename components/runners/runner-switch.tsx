"use client";

import type { ReactNode } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";

/** An admin's checkbox for one of the runner's on/off settings; says so when the save fails. */
export function RunnerSwitch({
  runnerId,
  setting,
  checked,
  children,
}: {
  runnerId: string;
  setting: "setWorktreeDefault" | "setAlwaysAllow";
  checked: boolean;
  children: ReactNode;
}) {
  const trpc = useTRPC();
  const save = useMutation(trpc.runner[setting].mutationOptions());
  return (
    <>
      <label className="mt-1 flex items-center gap-2 text-sm">
        <input type="checkbox" defaultChecked={checked} disabled={save.isPending} onChange={(e) => save.mutate({ runnerId, enabled: e.target.checked })} />
        {children}
      </label>
      {save.error && <p className="mt-1 text-xs text-red-700">{save.error.message}</p>}
    </>
  );
}
