import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";
import { accountRouter } from "~/server/api/routers/account";
import { archiveRouter } from "~/server/api/routers/archive";
import { healthRouter } from "~/server/api/routers/health";
import { runnerRouter } from "~/server/api/routers/runner";
import { searchRouter } from "~/server/api/routers/search";
import { sessionRouter } from "~/server/api/routers/session";
import { shareRouter } from "~/server/api/routers/share";
import { teamRouter } from "~/server/api/routers/team";
import { traceRouter } from "~/server/api/routers/trace";
import { usageRouter } from "~/server/api/routers/usage";
import { worktreeRouter } from "~/server/api/routers/worktree";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  archive: archiveRouter,
  health: healthRouter,
  runner: runnerRouter,
  search: searchRouter,
  session: sessionRouter,
  share: shareRouter,
  team: teamRouter,
  trace: traceRouter,
  usage: usageRouter,
  worktree: worktreeRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
