import { TRPCError } from "@trpc/server";

/**
 * For a page that shows an admin's or operator's part only to them: the procedure's own role
 * check decides, and a FORBIDDEN answer becomes null for the page to say so.
 */
export async function forbiddenAsNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof TRPCError && error.code === "FORBIDDEN") return null;
    throw error;
  }
}
