import { randomUUID } from "node:crypto";
import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";
import { logLevel, type Config } from "~/server/config";

/** What domain code needs from a logger (a pino child, or a silent stub in tests). */
export type Logger = Pick<PinoLogger, "info" | "warn" | "error">;

export const REDACTED = "[redacted]";

// Key names whose values must never reach a log line, wherever they appear in a logged object
// (request headers, runner rows, config). Listed once; the redact paths are built from them.
const SECRET_KEYS = [
  "cookie",
  "set-cookie",
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "password",
  "passwd",
  "token",
  "accessToken",
  "refreshToken",
  "secret",
  "apiKey",
  "api_key",
  "FLIGHTDECK_SECRET",
  "DATABASE_URL",
];

// fast-redact matches fixed depths only: a secret nested deeper than this is a logging bug.
const REDACT_DEPTH = 4;

function redactPaths(): string[] {
  // Bracket notation because some keys have dashes: ["set-cookie"], *["set-cookie"], *.*[...].
  return SECRET_KEYS.flatMap((key) => Array.from({ length: REDACT_DEPTH }, (_, depth) => `${Array(depth).fill("*").join(".")}["${key}"]`));
}

export function createLogger(options: { level?: Config["LOG_LEVEL"]; destination?: DestinationStream } = {}): PinoLogger {
  return pino(
    {
      level: options.level ?? logLevel(),
      redact: { paths: redactPaths(), censor: REDACTED },
      base: { pid: process.pid },
    },
    options.destination,
  );
}

const globalForLog = globalThis as typeof globalThis & { flightdeckLog?: PinoLogger };

/** The process-wide logger (level from LOG_LEVEL). Domains log through `log.child({ domain })`. */
export const log: PinoLogger = (globalForLog.flightdeckLog ??= createLogger());

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * A logger for one request: its `x-request-id` when the proxy in front set a sane one (so lines
 * correlate with the proxy's), else a fresh id.
 */
export function requestLogger(headers: Headers, parent: PinoLogger = log): PinoLogger {
  return parent.child({ requestId: requestIdOf(headers) });
}

/** The request's id: the proxy's `x-request-id` when sane, else a fresh one. */
export function requestIdOf(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}
