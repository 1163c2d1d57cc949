import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
import { checkHealth, databaseKindOf } from "~/server/health/check";
import { config } from "~/server/config";
import { getDb } from "~/server/db";

export const healthRouter = createTRPCRouter({
  check: publicProcedure.query(() => checkHealth(databaseKindOf(config().DATABASE_URL), getDb)),
});
