import os from "node:os";
import { config } from "~/server/config";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { appSecret } from "~/server/secret";
import type { RunnerRegistry } from "~/server/runners/registry";
import { createRedactor, type Redactor } from "./redact";
import { shareSettings } from "./settings";

// The exact values the app knows to be secret: the only way to catch a secret with no
// recognisable format (a runner password is random letters). Read on every use, so a runner
// added or an environment changed is covered at once.

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;

/** Values of environment variables whose names look secret (the app's, which the embedded runner inherits). */
export function secretEnvValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) => (value && SECRET_NAME.test(name) ? [value] : []));
}

export async function shareRedactor(deps: { db: PrismaClient; runners: RunnerRegistry }, env: NodeJS.ProcessEnv = process.env): Promise<Redactor> {
  const [passwords, settings] = await Promise.all([deps.runners.passwords(), shareSettings(deps.db)]);
  return createRedactor({
    exactValues: [...passwords, appSecret({ secret: config().FLIGHTDECK_SECRET, dataDir: config().dataDir }), ...secretEnvValues(env)],
    extraPatterns: settings.patterns,
    home: os.homedir(),
  });
}
