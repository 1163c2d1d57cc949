import { z } from "zod";

export const roleSchema = z.enum(["viewer", "operator", "admin"]);
export type Role = z.infer<typeof roleSchema>;

// Who is making a request. A share-link reader is its own kind so that no role check can ever
// mistake it for a team member.
export type Caller =
  | { kind: "anonymous" }
  | { kind: "user"; userId: string; name: string; role: Role }
  | { kind: "share"; shareLinkId: string; sessionId: string };

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(caller: Caller, needed: Role): boolean {
  return caller.kind === "user" && rank[caller.role] >= rank[needed];
}

// Until accounts land, Flightdeck runs in single-user mode: whoever reaches the app (bound to
// loopback by default) is its local admin. Kept in one place so accounts replace only this.
export const localOwner: Caller = { kind: "user", userId: "local", name: "Local owner", role: "admin" };

export function resolveCaller(_headers: Headers): Caller {
  return localOwner;
}
