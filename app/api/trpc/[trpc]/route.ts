import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { refuseOversizedBatch } from "~/server/api/batch-limit";
import { archiveResponseMeta } from "~/server/api/errors";
import { createContext, shareTokenOf } from "~/server/api/trpc";
import { log, requestIdOf } from "~/server/log";

const endpoint = "/api/trpc";

const handler = (req: Request) => {
  const requestId = requestIdOf(req.headers);
  return (
    refuseOversizedBatch(new URL(req.url), endpoint) ??
    fetchRequestHandler({
      endpoint,
      req,
      router: appRouter,
      createContext: ({ info }) => createContext({ headers: req.headers, requestId, shareToken: shareTokenOf(info.connectionParams) }),
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") log.error({ requestId, path, err: error.cause ?? error }, "procedure failed");
      },
      // An archive being synced answers 503 (tRPC's SERVICE_UNAVAILABLE) with when to retry; every
      // answer names its request, so a user's report can be found in the log.
      responseMeta(opts) {
        const headers = new Headers(archiveResponseMeta(opts).headers);
        headers.set("x-request-id", requestId);
        return { headers };
      },
    })
  );
};

export { handler as GET, handler as POST };
