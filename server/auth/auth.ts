import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError } from "better-auth/api";
import { config, publicOrigin, selfOrigin, type Config } from "~/server/config";
import { getDb } from "~/server/db";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { InviteError, redeemInvite } from "./invites";
import { recordAudit } from "./audit";
import { roleSchema } from "./roles";
import { appSecret } from "~/server/secret";
import { COOKIE_PREFIX } from "./session-cookie";

export const MIN_PASSWORD_LENGTH = 8;

/**
 * Accounts are better-auth's: password hashing, session tokens, cookies (httpOnly, SameSite=Lax,
 * Secure over https), sign-in rate limits. Flightdeck adds two rules through its hooks:
 * nobody signs up without an invite (the first admin's is the setup link), and a disabled user
 * gets no session.
 */
export function createAuth(db: PrismaClient, cfg: Config = config()) {
  const publicUrl = cfg.FLIGHTDECK_PUBLIC_URL;
  return betterAuth({
    appName: "Flightdeck",
    basePath: "/api/auth",
    secret: appSecret({ secret: cfg.FLIGHTDECK_SECRET, dataDir: cfg.dataDir }),
    // Without a public URL, each request's own loopback origin (the Host allowlist in proxy.ts
    // has vetted it already).
    baseURL: publicUrl
      ? publicOrigin(cfg)
      : { allowedHosts: ["localhost:*", "127.0.0.1:*", "[::1]:*", "localhost", "127.0.0.1"], protocol: "http", fallback: selfOrigin(cfg) },
    database: prismaAdapter(db, { provider: "postgresql" }),
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, autoSignIn: true },
    session: { modelName: "authSession" },
    user: {
      additionalFields: {
        role: { type: "string", input: false, required: false, defaultValue: "viewer" },
        disabledAt: { type: "date", input: false, required: false },
      },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      // Guessing passwords: 10 tries a minute per address.
      customRules: { "/sign-in/email": { window: 60, max: 10 }, "/sign-up/email": { window: 60, max: 10 } },
    },
    trustedOrigins: (request) => (request ? [new URL(request.url).origin, requestOrigin(request)] : []),
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: publicUrl?.startsWith("https:") ?? false,
      database: { generateId: "uuid" },
    },
    databaseHooks: {
      user: {
        create: {
          async before(user, ctx) {
            const token = ctx?.body && typeof ctx.body.inviteToken === "string" ? ctx.body.inviteToken : undefined;
            if (!token) throw new APIError("FORBIDDEN", { message: "Accounts are made from an invite link. Ask an admin for one." });
            try {
              return { data: { ...user, role: await redeemInvite(db, token, user.email) } };
            } catch (error) {
              if (error instanceof InviteError) throw new APIError("FORBIDDEN", { message: error.message });
              throw error;
            }
          },
          // Who used an invite, with the role it gave, in the team's audit log.
          async after(user) {
            const role = roleSchema.catch("viewer").parse((user as { role?: unknown }).role);
            await recordAudit(db, { kind: "user", userId: user.id, name: user.name, email: user.email, role }, "team.join", { role }, null);
          },
        },
      },
      session: {
        create: {
          async before(session) {
            const user = await db.user.findUnique({ where: { id: session.userId }, select: { disabledAt: true } });
            if (user?.disabledAt) throw new APIError("FORBIDDEN", { message: "This account is disabled. Ask an admin." });
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

// The origin the browser used, as the Host header says (the allowlist has vetted it).
function requestOrigin(request: Request): string | undefined {
  const host = request.headers.get("host");
  return host ? `${new URL(request.url).protocol}//${host}` : undefined;
}

const globalForAuth = globalThis as typeof globalThis & { flightdeckAuth?: Promise<Auth> };

/** The process-wide accounts, on the app's database. */
export function getAuth(): Promise<Auth> {
  globalForAuth.flightdeckAuth ??= getDb().then((db) => createAuth(db));
  return globalForAuth.flightdeckAuth;
}
