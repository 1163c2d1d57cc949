import { appHealth } from "~/server/health/probe";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await appHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503 });
}
