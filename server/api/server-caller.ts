import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signInPath } from "~/server/auth/next-path";
import { createContext, createInnerContext } from "~/server/api/trpc";
import { getServices } from "~/server/services";
import { resolveShareToken, shareClientOf } from "~/server/share/access";
import { createCaller } from "~/server/api/root";

/**
 * The tRPC caller for server components: same procedures, same role checks, no HTTP hop. A read
 * refused for want of a valid sign-in (an expired cookie) sends the visitor to sign in, as the
 * layout does, rather than failing the page with an error in the server's log.
 */
export const api = cache(async () => {
  const requestHeaders = await headers();
  return createCaller(await createContext({ headers: requestHeaders }), {
    onError: ({ error }) => {
      if (error.code === "UNAUTHORIZED") redirect(signInPath(requestHeaders.get("x-flightdeck-path") ?? "/"));
    },
  });
});

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
