import { getAuth } from "~/server/auth/auth";

export const dynamic = "force-dynamic";

// better-auth's standard routes (sign-in/email, sign-up/email, sign-out, change-password...).
const handler = async (request: Request) => (await getAuth()).handler(request);

export { handler as GET, handler as POST };
