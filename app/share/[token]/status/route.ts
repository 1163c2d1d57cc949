import { shareApi } from "~/server/api/server-caller";

export const dynamic = "force-dynamic";

/**
 * Whether a share token opens (204) or not (404), for proxy.ts to give the share page its status
 * (a page cannot set one). An unknown token counts toward its address's limit here.
 */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return new Response(null, { status: (await shareApi(token, request.headers)) ? 204 : 404 });
}
