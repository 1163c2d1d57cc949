import type { PrismaClient } from "~/server/generated/prisma/client";

/** What the search filters can be set to: the values the archive holds. */
export async function searchFacets(db: PrismaClient) {
  const [runners, people, models, agents] = await Promise.all([
    db.runner.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.user.findMany({ where: { startedSessions: { some: {} } }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.session.findMany({ where: { modelId: { not: null } }, distinct: ["providerId", "modelId"], select: { providerId: true, modelId: true } }),
    db.session.findMany({ where: { agent: { not: null } }, distinct: ["agent"], select: { agent: true } }),
  ]);
  return {
    runners,
    people,
    models: models.map((m) => (m.providerId ? `${m.providerId}/${m.modelId}` : m.modelId!)).sort(),
    agents: agents.map((a) => a.agent!).sort(),
  };
}
