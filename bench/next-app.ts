/**
 * The real Next app, as `npm start` (scripts/start.ts) builds and serves it, on the bench's own
 * database: with the embedded runner for the live sections, without it for the archived view,
 * health and traces (embedded PGlite allows one process at a time: one app at a time).
 */
import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..");

/** The environment `npm start` (or `npm run import`) would have: the app's own tsconfig, no database of the bench's. */
export function appEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  delete env.TSX_TSCONFIG_PATH;
  delete env.DATABASE_URL;
  return env as NodeJS.ProcessEnv;
}

/**
 * `npm start` on the bench's data with the bench's headless admin; embedded runner off unless
 * asked for. It builds first when the sources changed since the last build.
 */
export async function startNext(
  port: number,
  dataDir: string,
  // databaseUrl: PostgreSQL for this app; null: PGlite in the data dir, whatever BENCH_DATABASE_URL says.
  options: { embeddedRunner?: boolean; env?: Record<string, string>; databaseUrl?: string | null } = {},
) {
  const env = appEnv({
    PORT: String(port),
    FLIGHTDECK_DATA_DIR: dataDir,
    FLIGHTDECK_EMBEDDED_RUNNER: options.embeddedRunner ? "1" : "0",
    LOG_LEVEL: "warn",
    // Pages need a signed-in member: the bench reads them as this headless admin.
    FLIGHTDECK_ADMIN_EMAIL: BENCH_ADMIN.email,
    FLIGHTDECK_ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...options.env,
  });
  // Another app there (say, left by a bench that crashed) would answer for this one.
  const health = `http://127.0.0.1:${port}/api/health`;
  if (await fetch(health).then(() => true, () => false)) throw new Error(`port ${port} is in use: stop what serves ${health}`);
  const databaseUrl = options.databaseUrl === undefined ? process.env.BENCH_DATABASE_URL : options.databaseUrl;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  // For the app's processes only, not the bench's own (options Node allows there: not --cpu-prof).
  if (process.env.BENCH_APP_NODE_OPTIONS) env.NODE_OPTIONS = process.env.BENCH_APP_NODE_OPTIONS;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start.ts")], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const exited = new Promise<never>((_, reject) => child.on("exit", (code) => reject(new Error(`the Next app exited (${code})`))));
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const up = await fetch(health).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error("the Next app did not answer /api/health within 15 minutes");
    await Promise.race([new Promise((r) => setTimeout(r, 500)), exited]);
  }
  return {
    /** scripts/start.ts, whose child is the server (scripts/serve.mjs). */
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        // scripts/start.ts forwards the signal to the server; the group catches stragglers.
        process.kill(-child.pid!, "SIGTERM");
        // Only while the group is there: the bench goes on after this app (another one starts).
        const stragglers = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 15_000);
        child.once("exit", () => {
          clearTimeout(stragglers);
          resolve();
        });
      }),
    /** SIGKILL to the whole group at once, as a crash or the OOM killer ends an app: nothing of it runs after this. */
    kill: () => process.kill(-child.pid!, "SIGKILL"),
  };
}

const BENCH_ADMIN = { email: "bench@flightdeck.test", password: "bench password" };

/** The headless admin's session cookie, as the browser would hold it after signing in. */
export async function signIn(origin: string): Promise<{ name: string; value: string }> {
  const res = await fetch(`${origin}/api/auth/sign-in/email`, {
    method: "POST",
    // better-auth refuses a sign-in without an Origin, as a browser's own page sends it.
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify(BENCH_ADMIN),
  });
  if (!res.ok) throw new Error(`signing in to the Next app failed (${res.status})`);
  const [name, value] = res.headers.getSetCookie()[0]!.split(";")[0]!.split("=");
  return { name: name!, value: value! };
}

