import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname) } },
  test: {
    include: ["server/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    globalSetup: ["server/testing/global-setup.ts"],
    // The app's info lines (runner ready, migrations applied...) would bury the test report.
    env: { LOG_LEVEL: "warn" },
    // Integration tests start real opencode servers and databases: generous, but bounded.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores on CI; real opencode processes are heavy.
    maxWorkers: 2,
  },
});
