import Link from "next/link";
import { ancestry } from "./ancestry";

/** Sessions / origin / … / parent: every page of a lineage leads back to where it started. */
export function Breadcrumbs({ members, sessionId }: { members: readonly { id: string; title: string; parentId: string | null }[]; sessionId: string }) {
  const chain = ancestry(members, sessionId);
  return (
    <nav className="text-xs text-slate-500" aria-label="Breadcrumb" data-testid="breadcrumbs">
      <Link href="/" className="hover:underline">
        Sessions
      </Link>
      {chain.map((m) => (
        <span key={m.id}>
          {" / "}
          <Link href={`/sessions/${m.id}`} className="hover:underline">
            {m.title || "Untitled session"}
          </Link>
        </span>
      ))}
    </nav>
  );
}
