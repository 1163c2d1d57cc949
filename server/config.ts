import path from "node:path";
import { z } from "zod";

// An exported-but-empty variable means "not set", as shells and CI files often produce.
const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

// Every environment variable Flightdeck reads, in one place (documented in README.md).
const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // The interface `npm start` binds.
  HOST: z.preprocess(emptyAsUnset, z.string().default("127.0.0.1")),
  // Where the embedded database and embedded runner keep their files.
  FLIGHTDECK_DATA_DIR: z.string().min(1).default("./data"),
  // A postgres:// or postgresql:// URL selects PostgreSQL; unset means embedded PGlite.
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z.string().regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL").optional(),
  ),
  // The public address of the dashboard (e.g. https://flightdeck.example.com): its host is accepted
  // besides loopback names, links (setup, invites) use it, and cookies are Secure over https.
  FLIGHTDECK_PUBLIC_URL: z.preprocess(
    emptyAsUnset,
    z.url({ protocol: /^https?$/, error: "FLIGHTDECK_PUBLIC_URL must be an http(s) URL" }).optional(),
  ),
  // Signs account cookies and encrypts runner passwords (share it between app instances).
  // Unset: a key generated once in <FLIGHTDECK_DATA_DIR>/secret.key.
  FLIGHTDECK_SECRET: z.preprocess(emptyAsUnset, z.string().min(16, "FLIGHTDECK_SECRET must be at least 16 characters").optional()),
  // Headless setup: the first admin, created at start if no user has this email yet.
  FLIGHTDECK_ADMIN_EMAIL: z.preprocess(emptyAsUnset, z.email({ error: "FLIGHTDECK_ADMIN_EMAIL must be an email address" }).optional()),
  FLIGHTDECK_ADMIN_PASSWORD: z.preprocess(emptyAsUnset, z.string().min(8, "FLIGHTDECK_ADMIN_PASSWORD must be at least 8 characters").optional()),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Start the bundled opencode as the embedded runner (set 0 to use remote runners only).
  // Default 1, or 0 with REDIS_URL (an embedded runner would die with its instance).
  FLIGHTDECK_EMBEDDED_RUNNER: z.preprocess(emptyAsUnset, z.enum(["0", "1"]).optional()),
  // Several instances behind a load balancer share live streams and runner ownership through
  // this Redis (redis:// or rediss://). Needs DATABASE_URL (PostgreSQL) and FLIGHTDECK_SECRET.
  REDIS_URL: z.preprocess(emptyAsUnset, z.string().regex(/^rediss?:\/\//, "REDIS_URL must be a redis:// or rediss:// URL").optional()),
  // Keys and channels of this deployment in that Redis start with this.
  FLIGHTDECK_REDIS_PREFIX: z.preprocess(emptyAsUnset, z.string().min(1).default("fd:")),
  // This instance's name among the others (logs, leases); unset: host name, pid and a random suffix.
  FLIGHTDECK_INSTANCE_ID: z.preprocess(emptyAsUnset, z.string().regex(/^[\w.-]{1,80}$/, "FLIGHTDECK_INSTANCE_ID must be letters, digits, '.', '_' or '-'").optional()),
  // How long a runner's owner may go silent before another instance takes over its events.
  FLIGHTDECK_OWNER_LEASE_MS: z.coerce.number().int().min(1_000).default(5_000),
  // Pause between the Demo model's words (its default when unset): 0 streams as fast as opencode
  // takes them, which the bench needs to measure the live path rather than the model's pace.
  FLIGHTDECK_DEMO_DELTA_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).optional()),
  // Set by `npm start`, which serves the Demo model from its own process (otherwise idle) so that
  // writing the model's streams never holds the app's event loop; unset: the app starts its own.
  FLIGHTDECK_DEMO_MODEL_URL: z.preprocess(emptyAsUnset, z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/, "FLIGHTDECK_DEMO_MODEL_URL must be http://127.0.0.1:PORT").optional()),
  // A busy turn with no event from its runner for this long is marked stalled.
  FLIGHTDECK_STALL_MS: z.coerce.number().int().min(1_000).default(180_000),
  // Events kept per live session tree for reconnecting browsers; older clients get a snapshot.
  FLIGHTDECK_STREAM_BUFFER: z.coerce.number().int().min(10).default(10_000),
  // Archive: a session tree quiet this long after its last activity gets a full sync (0: off).
  FLIGHTDECK_ARCHIVE_IDLE_MS: z.coerce.number().int().min(0).default(30_000),
  // Archive: every this often, every active tree the archive is behind on is synced (0: off).
  FLIGHTDECK_ARCHIVE_SWEEP_MS: z.coerce.number().int().min(0).default(300_000),
  // Retention: archives gone from their runner are purged this many days after their last
  // activity or deletion (0: keep forever). A runner's own setting overrides it.
  FLIGHTDECK_RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
  // Retention: purge trees with an active share link too (default: keep them).
  FLIGHTDECK_RETENTION_PURGE_SHARED: z.preprocess(emptyAsUnset, z.enum(["0", "1"]).default("0").transform((v) => v === "1")),
  // Retention: how often the background purge runs.
  FLIGHTDECK_RETENTION_EVERY_MS: z.coerce.number().int().min(0).default(3_600_000),
  // Where sessions on the embedded runner may run (colon- or comma-separated absolute paths);
  // unset: the embedded runner's workspace and the user's home directory.
  FLIGHTDECK_WORKSPACE_ROOTS: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .transform((list) => list.split(/[:,]/).filter(Boolean))
      .refine((roots) => roots.every((root) => path.isAbsolute(root)), "FLIGHTDECK_WORKSPACE_ROOTS must list absolute paths")
      .optional(),
  ),
});

// Several instances share one database and one secret (cookies and runner passwords must read
// the same on all of them).
const checkedEnv = envSchema.superRefine((env, ctx) => {
  if (!env.REDIS_URL) return;
  if (!env.DATABASE_URL) ctx.addIssue({ code: "custom", path: ["REDIS_URL"], message: "REDIS_URL (several instances) needs DATABASE_URL: a PostgreSQL database the instances share" });
  if (!env.FLIGHTDECK_SECRET) ctx.addIssue({ code: "custom", path: ["REDIS_URL"], message: "REDIS_URL (several instances) needs FLIGHTDECK_SECRET, the same on every instance" });
});

export type Config = Omit<z.infer<typeof envSchema>, "FLIGHTDECK_EMBEDDED_RUNNER"> & { FLIGHTDECK_EMBEDDED_RUNNER: boolean; dataDir: string };

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = checkedEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  }
  const embedded = parsed.data.FLIGHTDECK_EMBEDDED_RUNNER ?? (parsed.data.REDIS_URL ? "0" : "1");
  return { ...parsed.data, FLIGHTDECK_EMBEDDED_RUNNER: embedded === "1", dataDir: path.resolve(parsed.data.FLIGHTDECK_DATA_DIR) };
}

/**
 * LOG_LEVEL alone, read without caching the rest: the logger starts on import, before tests or
 * scripts have set the environment the configuration is read from. A bad value is reported by
 * config() when the app reads it; the logger meanwhile says everything at "info".
 */
export function logLevel(env: Record<string, string | undefined> = process.env): Config["LOG_LEVEL"] {
  const parsed = envSchema.shape.LOG_LEVEL.safeParse(env.LOG_LEVEL);
  return parsed.success ? parsed.data : "info";
}

/** Where this server itself answers: for fetches to itself, never the Host a client sent. */
export function selfOrigin(cfg: Config = config()): string {
  const wildcard = cfg.HOST === "0.0.0.0" || cfg.HOST === "::" || cfg.HOST === "[::]";
  const host = wildcard ? "127.0.0.1" : cfg.HOST.includes(":") && !cfg.HOST.startsWith("[") ? `[${cfg.HOST}]` : cfg.HOST;
  return `http://${host}:${cfg.PORT}`;
}

/** The address people use: FLIGHTDECK_PUBLIC_URL, else this server's own. */
export function publicOrigin(cfg: Config = config()): string {
  return cfg.FLIGHTDECK_PUBLIC_URL ? new URL(cfg.FLIGHTDECK_PUBLIC_URL).origin : selfOrigin(cfg);
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
