import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./server/auth/security-headers";

const nextConfig: NextConfig = {
  // Native, wasm and process-spawning packages must load from node_modules at run time.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "@prisma/adapter-pg",
    "pg",
    "better-sqlite3",
    "opencode-ai",
    "ioredis",
    "@tailwindcss/node",
    "@tailwindcss/oxide",
  ],
  poweredByHeader: false,
  // Anti-framing and friends on every page, route handler and error page (see the module).
  async headers() {
    return [{ source: "/:path*", headers: [...SECURITY_HEADERS] }];
  },
};

export default nextConfig;
