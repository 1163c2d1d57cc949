import type { Auth } from "./auth";
import { getAuth } from "./auth";
import { roleSchema, type Caller } from "./roles";

export { hasRole, roleSchema, type Caller, type Role } from "./roles";

/**
 * The one resolver: every tRPC procedure, route handler and server-rendered page learns who is
 * calling from here (the account cookie, through better-auth). A disabled account is anonymous.
 */
export async function resolveCaller(headers: Headers, auth?: Auth): Promise<Caller> {
  const found = await (auth ?? (await getAuth())).api.getSession({ headers }).catch(() => null);
  if (!found) return { kind: "anonymous" };
  const { user, session } = found;
  const role = roleSchema.safeParse(user.role);
  if (user.disabledAt || !role.success) return { kind: "anonymous" };
  return { kind: "user", userId: user.id, name: user.name, email: user.email, role: role.data, authSessionId: session.id };
}
