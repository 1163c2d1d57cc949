import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";
import { archiveRouter } from "~/server/api/routers/archive";
import { healthRouter } from "~/server/api/routers/health";
import { runnerRouter } from "~/server/api/routers/runner";
import { sessionRouter } from "~/server/api/routers/session";

export const appRouter = createTRPCRouter({
  archive: archiveRouter,
  health: healthRouter,
  runner: runnerRouter,
  session: sessionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
