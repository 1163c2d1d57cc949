import type { Config } from "~/server/config";
import { publicOrigin } from "~/server/config";
import type { PrismaClient } from "~/server/generated/prisma/client";
import type { Auth } from "./auth";
import { createInvite } from "./invites";

type Print = (line: string) => void;

/**
 * At start: the headless admin (FLIGHTDECK_ADMIN_EMAIL + _PASSWORD) is created if no account
 * has that email yet; an existing one, whatever its password now, is left alone. If the team
 * is still empty, a fresh one-time setup link is printed: only its holder (who can read the
 * server's output) can claim the instance. Links printed by earlier starts stop working.
 */
export async function prepareFirstAdmin(db: PrismaClient, auth: Auth, cfg: Config, print: Print): Promise<{ setupUrl?: string }> {
  const email = cfg.FLIGHTDECK_ADMIN_EMAIL?.toLowerCase();
  if (email && cfg.FLIGHTDECK_ADMIN_PASSWORD && !(await db.user.findUnique({ where: { email } }))) {
    const { token } = await createInvite(db, { role: "admin", purpose: "setup", expiresInDays: 1 });
    // The same door as every sign-up: an invite (here one made for this purpose) grants the role.
    const body = { email, password: cfg.FLIGHTDECK_ADMIN_PASSWORD, name: "Admin", inviteToken: token };
    await auth.api.signUpEmail({ body });
    print(`[flightdeck] created the admin account ${email} (FLIGHTDECK_ADMIN_EMAIL)`);
  }
  if ((await db.user.count()) > 0) return {};
  await db.invite.updateMany({ where: { purpose: "setup", usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  const { token } = await createInvite(db, { role: "admin", purpose: "setup", expiresInDays: 30 });
  const setupUrl = `${publicOrigin(cfg)}/setup?token=${token}`;
  print(`[flightdeck] no accounts yet. Create the first admin at:\n[flightdeck]   ${setupUrl}`);
  return { setupUrl };
}

/** Whether the team has no account yet (pages then lead to the setup page only). */
export async function needsSetup(db: PrismaClient): Promise<boolean> {
  return (await db.user.count()) === 0;
}
