import { checkHealth, databaseKindOf } from "~/server/health/check";
import { config } from "~/server/config";
import { getDb } from "~/server/db";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(databaseKindOf(config().DATABASE_URL), getDb);
  return Response.json(health, { status: health.status === "ok" ? 200 : 503 });
}
