import { ShareLinks } from "~/components/share/share-links";
import { ShareSettings } from "~/components/share/share-settings";
import { api } from "~/server/api/server-caller";
import { hasRole } from "~/server/auth/roles";

export const dynamic = "force-dynamic";

/** Every share link of the team; admins also get the kill switch and the redaction patterns. */
export default async function SharesPage() {
  const me = await (await api()).account.me();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Shared links</h1>
      {hasRole(me, "admin") && <ShareSettings />}
      <ShareLinks />
    </div>
  );
}
