import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
import { appHealth } from "~/server/health/probe";

export const healthRouter = createTRPCRouter({
  check: publicProcedure.query(() => appHealth()),
});
