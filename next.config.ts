import type { NextConfig } from "next";

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
  ],
  poweredByHeader: false,
};

export default nextConfig;
