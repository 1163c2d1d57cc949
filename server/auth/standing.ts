import type { PrismaClient } from "~/server/generated/prisma/client";
import { hasRole, roleSchema, type Caller, type Role } from "./roles";

// A request is checked once, when it comes; a live stream lasts for hours. So a stream checks
// its caller again: disabled, signed out, the sign-in expired or the role lowered ends it, as a
// revoked share link ends a share page's stream (server/share/follow.ts).

type Member = Extract<Caller, { kind: "user" }>;
type Db = Pick<PrismaClient, "user" | "authSession">;

/** How often an open stream checks its caller again. */
export const STANDING_CHECK_MS = 1_000;

/** Whether the member may still call with `role`: one read of their account and sign-in. */
export async function stillAllowed(db: Db, caller: Member, role: Role, now = new Date()): Promise<boolean> {
  const [user, signIn] = await Promise.all([
    db.user.findUnique({ where: { id: caller.userId }, select: { role: true, disabledAt: true } }),
    caller.authSessionId ? db.authSession.findUnique({ where: { id: caller.authSessionId }, select: { expiresAt: true } }) : undefined,
  ]);
  if (!user || user.disabledAt || signIn === null || (signIn && signIn.expiresAt <= now)) return false;
  const current = roleSchema.safeParse(user.role);
  return current.success && hasRole({ ...caller, role: current.data }, role);
}

/**
 * `stillAllowed`, shared: the streams of one sign-in (a thousand viewers of one account) ask the
 * database once per interval between them.
 */
export function standingChecks(db: Db, everyMs = STANDING_CHECK_MS) {
  const recent = new Map<string, { at: number; answer: Promise<boolean> }>();
  return (caller: Member, role: Role): Promise<boolean> => {
    const key = `${caller.authSessionId ?? caller.userId}\0${role}`;
    const known = recent.get(key);
    if (known && Date.now() - known.at < everyMs) return known.answer;
    // A database that cannot answer right now ends nobody's stream; the next check asks again.
    const answer = stillAllowed(db, caller, role).catch(() => true);
    recent.set(key, { at: Date.now(), answer });
    // Forget answers nobody asks for again (the sign-in's streams are gone).
    for (const [k, v] of recent) if (Date.now() - v.at > everyMs * 10) recent.delete(k);
    return answer;
  };
}

/**
 * The stream's items while `allowed()` says yes, asked every `everyMs`; then `onRevoked()`'s
 * error. The source is told to stop (its `return`) without waiting for its next item.
 */
export async function* whileAllowed<T>(source: AsyncIterable<T>, allowed: () => Promise<boolean>, onRevoked: () => Error, everyMs = STANDING_CHECK_MS): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let revoked: (() => void) | undefined;
  const lost = new Promise<"revoked">((resolve) => (revoked = () => resolve("revoked")));
  const timer = setInterval(() => void allowed().then((ok) => ok || revoked!()), everyMs);
  try {
    for (;;) {
      const pending = iterator.next();
      const next = await Promise.race([pending, lost]);
      if (next === "revoked") {
        pending.catch(() => {});
        throw onRevoked();
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearInterval(timer);
    void iterator.return?.()?.catch(() => {});
  }
}
