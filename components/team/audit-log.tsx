import { LocalTime } from "~/components/session/local-time";
import { markUnrepresentable } from "~/server/store/lossless-text";
import type { AuditAction } from "~/server/auth/audit";

type AuditRow = { id: string; at: Date; actorName: string; action: string; target: string | null; sessionId: string | null; sessionTitle: string | null; detail: unknown };

// Every action has its words: a new one fails the type check until it is given some.
const VERBS: Record<AuditAction, string> = {
  "session.create": "started the session",
  "session.prompt": "prompted",
  "session.abort": "aborted the run",
  "session.revert": "reverted",
  "session.unrevert": "undid a revert",
  "session.fork": "forked",
  "session.delete": "deleted the session",
  "session.rename": "renamed the session",
  "session.answer": "answered a request",
  "archive.fork": "forked the archive",
  "archive.purge": "purged the archive",
  "archive.import": "imported archives",
  "archive.retention": "changed retention",
  "runner.add": "added a runner",
  "runner.update": "changed a runner's address or credentials",
  "runner.remove": "removed a runner",
  "runner.worktreeDefault": "changed a runner's worktree default",
  "runner.alwaysAllow": "switched a runner's \"Always allow\"",
  "team.invite": "made an invite link",
  "team.revokeInvite": "revoked an invite link",
  "team.join": "joined the team",
  "team.role": "changed a role",
  "team.disable": "disabled an account",
  "team.enable": "enabled an account",
  "share.create": "made a share link",
  "share.revoke": "revoked a share link",
  "share.switch": "switched sharing",
  "share.patterns": "changed the redaction patterns",
  "worktree.merge": "merged the worktree",
  "worktree.discard": "discarded the worktree",
  "worktree.removeOrphan": "removed an orphaned worktree",
};

function describe(detail: unknown): string {
  if (!detail || typeof detail !== "object") return "";
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(", ");
}

/** Who did what, newest first (a session's tree, or the whole instance for admins). Server-rendered. */
export function AuditLog({ rows, showSession = false }: { rows: AuditRow[]; showSession?: boolean }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">Nothing recorded yet.</p>;
  return (
    <ol aria-label="Audit log" className="space-y-1 text-sm">
      {rows.map((row) => (
        <li key={row.id} className="flex flex-wrap gap-x-2">
          <time className="text-slate-500" dateTime={new Date(row.at).toISOString()}>
            <LocalTime at={row.at} />
          </time>
          <span className="font-medium">{row.actorName}</span>
          <span>{VERBS[row.action as AuditAction] ?? row.action}</span>
          {row.target && <span className="break-all text-slate-600">{row.target}</span>}
          {describe(row.detail) && <span className="break-all text-slate-500">({describe(row.detail)})</span>}
          {showSession && row.sessionId && (
            <a className="break-all text-slate-600 underline" href={`/sessions/${row.sessionId}`}>
              {row.sessionTitle === null ? "a purged session" : `“${markUnrepresentable(row.sessionTitle) || "Untitled session"}”`}
            </a>
          )}
        </li>
      ))}
    </ol>
  );
}
