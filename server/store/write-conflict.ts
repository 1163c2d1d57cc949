/**
 * PostgreSQL ends one of two transactions that wait on each other (a deadlock, a serialization
 * failure) and Prisma reports it as P2034. The loser wrote nothing, so running it again is safe;
 * a revert racing the live writer's batch on the same turns is the case this exists for.
 */
export async function retryOnWriteConflict<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isWriteConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}

export function isWriteConflict(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2034";
}
