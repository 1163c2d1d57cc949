import { cache } from "react";
import { headers } from "next/headers";
import { createContext, createInnerContext } from "~/server/api/trpc";
import { getServices } from "~/server/services";
import { resolveShareToken, shareClientOf } from "~/server/share/access";
import { createCaller } from "~/server/api/root";

/** The tRPC caller for server components: same procedures, same role checks, no HTTP hop. */
export const api = cache(async () => createCaller(await createContext({ headers: await headers() })));

/** What `api()` resolves to: the caller server components pass down. */
export type ServerCaller = Awaited<ReturnType<typeof api>>;

/**
 * The tRPC caller of a share page or download: the link's reader, never the visitor's account.
 * Null when the token does not open (unknown, expired, revoked, sharing off, rate-limited).
 */
export async function shareApi(token: string, requestHeaders: Headers, options: { countView?: boolean } = {}) {
  const caller = await resolveShareToken((await getServices()).db, token, shareClientOf(requestHeaders), options);
  return caller && { caller, api: createCaller(createInnerContext({ caller, services: getServices })) };
}
