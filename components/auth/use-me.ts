"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";
import { hasRole, type Role } from "~/server/auth/roles";

/**
 * Whether the signed-in member has a role, to show only the controls they can use. The server
 * checks the role on every call regardless; false until it is known.
 */
export function useCan(role: Role): boolean {
  const trpc = useTRPC();
  // Read again now and then: an admin may change the role while the page stays open (an action
  // the server refuses reads it at once: components/trpc/react.tsx).
  const me = useQuery({ ...trpc.account.me.queryOptions(), staleTime: 60_000, refetchInterval: 60_000 });
  return me.data ? hasRole(me.data, role) : false;
}
