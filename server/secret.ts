import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/**
 * The app's one secret: signs account cookies (server/auth) and keys the encryption of runner
 * passwords (server/runners/secret-box.ts). FLIGHTDECK_SECRET when set (several app instances
 * must share it), else `<dataDir>/secret.key`, created once with owner-only permissions.
 */
export function appSecret(options: { secret?: string; dataDir: string }): string {
  if (options.secret) return options.secret;
  const file = path.join(options.dataDir, "secret.key");
  fs.mkdirSync(options.dataDir, { recursive: true });
  try {
    // "wx": two processes starting at once cannot both write a key; the loser reads the winner's.
    fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return fs.readFileSync(file, "utf8").trim();
}
