import fs from "node:fs";
import { chromium, type Browser } from "@playwright/test";

/** Chromium as the bench drives it: Debian's /usr/bin/chromium when there (browsers cannot be downloaded here). */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  return chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
}
