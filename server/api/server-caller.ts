import { cache } from "react";
import { headers } from "next/headers";
import { createContext } from "~/server/api/trpc";
import { createCaller } from "~/server/api/root";

/** The tRPC caller for server components: same procedures, same role checks, no HTTP hop. */
export const api = cache(async () => createCaller(await createContext({ headers: await headers() })));
