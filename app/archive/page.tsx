import { api } from "~/server/api/server-caller";
import { forbiddenAsNull } from "~/server/api/page-access";
import { ImportForm, RetentionTable } from "~/components/archive/archive-admin";
import { importNotice, MAX_IMPORT_BYTES } from "~/server/archive/import-notice";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** Archive administration: import an opencode.db, see the retention policy. Admins only. */
export default async function ArchivePage({ searchParams }: { searchParams: Search }) {
  const retention = await forbiddenAsNull((await api()).archive.retention());
  if (!retention) return <p className="text-sm text-slate-600">Archive administration needs the admin role.</p>;
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Archive</h1>
      <ImportForm notice={importNotice(await searchParams)} maxBytes={MAX_IMPORT_BYTES} />
      <RetentionTable retention={retention} />
    </div>
  );
}
