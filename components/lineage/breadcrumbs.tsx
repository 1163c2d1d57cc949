import { AppLink } from "~/components/layout/app-link";
import { ancestry } from "./ancestry";

/** Sessions / origin / … / parent: every page of a lineage leads back to where it started. */
export function Breadcrumbs({ members, sessionId }: { members: readonly { id: string; title: string; parentId: string | null }[]; sessionId: string }) {
  const chain = ancestry(members, sessionId);
  return (
    <nav className="text-xs text-slate-500" aria-label="Breadcrumb" data-testid="breadcrumbs">
      <AppLink href="/" className="hover:underline">
        Sessions
      </AppLink>
      {chain.map((m) => (
        <span key={m.id}>
          {" / "}
          <AppLink href={`/sessions/${m.id}`} className="hover:underline">
            {m.title || "Untitled session"}
          </AppLink>
        </span>
      ))}
    </nav>
  );
}
