import { defineConfig } from "@playwright/test";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyRunnerConfigSeed } from "./server/testing/runner-config-seed";

const port = Number(process.env.E2E_PORT ?? 3210);
// Debian's Chromium on machines that cannot download Playwright's own browser.
const executablePath =
  process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
// Each run gets its own embedded database and runner data.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), "flightdeck-e2e-"));
// Workers load this file again: they must find the same data dir (the server log, the admin state).
process.env.E2E_DATA_DIR = dataDir;
// The runners the server and the tests start skip opencode's npm install (runner-config-seed.ts).
applyRunnerConfigSeed();

export default defineConfig({
  testDir: "e2e",
  timeout: 90_000,
  // The real runner and the app share two cores with other work: wait on what a person sees,
  // generously, rather than on timings.
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // What the page looked like when a test failed, next to its error (test-results/).
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // First the first-run setup through the link `npm start` printed; every other test then runs
  // signed in as the admin it created.
  projects: [
    { name: "first-run", testMatch: /first-run\.spec\.ts/ },
    {
      name: "app",
      dependencies: ["first-run"],
      testIgnore: /first-run\.spec\.ts/,
      use: { storageState: path.join(dataDir, "admin-state.json") },
    },
  ],
  webServer: {
    // The output is kept so the first-run test can follow the setup link, as a person would.
    command: `npm start 2>&1 | tee ${JSON.stringify(path.join(dataDir, "server.log"))}`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    // A hung turn is declared stalled after 30 s instead of 3 minutes, so a test can watch it
    // happen (e2e/run-states.spec.ts); nothing else in the suite is silent that long.
    env: { PORT: String(port), FLIGHTDECK_DATA_DIR: dataDir, DATABASE_URL: "", FLIGHTDECK_STALL_MS: "30000" },
  },
});
