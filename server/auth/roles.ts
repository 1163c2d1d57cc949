import { z } from "zod";

// Pure: the browser shows or hides controls with the same rules the server enforces.

export const roleSchema = z.enum(["viewer", "operator", "admin"]);
export type Role = z.infer<typeof roleSchema>;

// Who is making a request. A share-link reader is its own kind so that no role check can ever
// mistake it for a team member.
export type Caller =
  | { kind: "anonymous" }
  // authSessionId: the sign-in the cookie named, which a long-lived stream checks again (standing.ts).
  | { kind: "user"; userId: string; name: string; email: string; role: Role; authSessionId?: string }
  | { kind: "share"; shareLinkId: string; sessionId: string };

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(caller: Caller, needed: Role): boolean {
  return caller.kind === "user" && rank[caller.role] >= rank[needed];
}
