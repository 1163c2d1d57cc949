import { getAuth } from "~/server/auth/auth";
import { prepareFirstAdmin } from "~/server/auth/first-admin";
import { config } from "~/server/config";
import { getServices } from "~/server/services";
import { useChunkTextEncoderStream } from "~/server/api/text-encoder-stream";
import { serveSubscription, SUBSCRIPTION_HOOK } from "~/server/api/sse-subscriptions";

/**
 * Migrates the database and starts the embedded runner and its bridges before the first
 * request, so runs are archived whether or not anyone watches; makes sure someone can sign in
 * (first admin); stops everything cleanly on shutdown. Streamed responses encode a chunk at once
 * (server/api/text-encoder-stream.ts); subscriptions are served in front of Next once the
 * front server finds them (server/api/sse-subscriptions.ts).
 */
export async function boot(): Promise<void> {
  useChunkTextEncoderStream();
  (globalThis as Record<string, unknown>)[SUBSCRIPTION_HOOK] = serveSubscription;
  const services = await getServices();
  await prepareFirstAdmin(services.db, await getAuth(), config(), (line) => console.log(line));
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void services.stop().finally(() => process.exit(0));
    });
  }
}
