import { getServices } from "~/server/services";

/**
 * Migrates the database and starts the embedded runner and its bridges before the first
 * request, so runs are archived whether or not anyone watches; stops them cleanly on shutdown.
 */
export async function boot(): Promise<void> {
  const services = await getServices();
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void services.stop().finally(() => process.exit(0));
    });
  }
}
