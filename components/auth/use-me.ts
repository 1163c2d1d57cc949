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
  const me = useQuery({ ...trpc.account.me.queryOptions(), staleTime: 60_000 });
  return me.data ? hasRole(me.data, role) : false;
}
