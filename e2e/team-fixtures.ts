import { readFileSync } from "node:fs";
import path from "node:path";

// Shared by the first-run test and the tests that run as the admin it creates.

export const dataDir = () => process.env.E2E_DATA_DIR!;
/** The admin's signed-in browser state, saved by the first-run test (playwright.config.ts uses it). */
export const adminStatePath = () => path.join(dataDir(), "admin-state.json");
export const admin = { name: "Ada Admin", email: "ada@flightdeck.test", password: "correct horse battery" };

/** The setup link `npm start` printed, as the person starting it would copy it. */
export function printedSetupLink(): string {
  const log = readFileSync(path.join(dataDir(), "server.log"), "utf8");
  const links = log.match(/http:\/\/\S+\/setup\?token=[\w-]+/g);
  if (!links) throw new Error("npm start printed no setup link");
  return links.at(-1)!;
}

/** The admin's cookies as a header, for clients outside the browser (plain fetch). */
export function adminCookieHeader(): string {
  const state = JSON.parse(readFileSync(adminStatePath(), "utf8")) as { cookies: { name: string; value: string }[] };
  return state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}
