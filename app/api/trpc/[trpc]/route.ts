import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { refuseOversizedBatch } from "~/server/api/batch-limit";
import { archiveResponseMeta } from "~/server/api/errors";
import { createContext } from "~/server/api/trpc";

const endpoint = "/api/trpc";

const handler = (req: Request) =>
  refuseOversizedBatch(new URL(req.url), endpoint) ??
  fetchRequestHandler({
    endpoint,
    req,
    router: appRouter,
    createContext: () => createContext({ headers: req.headers }),
    // An archive being synced answers 503 (tRPC's SERVICE_UNAVAILABLE) with when to retry.
    responseMeta: archiveResponseMeta,
  });

export { handler as GET, handler as POST };
