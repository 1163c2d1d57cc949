import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { config } from "~/server/config";

/**
 * The app's one secret: signs account cookies and keys the encryption of stored credentials.
 * FLIGHTDECK_SECRET when set (several instances must share it); otherwise a random key made once
 * in the data dir, readable by the app's user only, so a fresh install needs no setup.
 */
export function appSecret(cfg = config()): string {
  if (cfg.FLIGHTDECK_SECRET) return cfg.FLIGHTDECK_SECRET;
  const file = path.join(cfg.dataDir, "secret.key");
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(cfg.dataDir, { recursive: true });
  // `wx`: when two processes race, the second write fails and both read the winner's key.
  try {
    writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  chmodSync(file, 0o600);
  return readFileSync(file, "utf8").trim();
}
