import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";

/** The "Needs you" layer as the browser receives it (server/needs-you). */
export type NeedsYouView = inferRouterOutputs<AppRouter>["session"]["needsYou"];
export type WaitingView = NeedsYouView["waiting"][number];
