import { defineConfig } from "prisma/config";

// The CLI is only used for `prisma generate`; migrations go through scripts/db-migrate.ts
// because the native schema engine cannot be downloaded on offline machines.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
