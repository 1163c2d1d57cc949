import { AppLink } from "~/components/layout/app-link";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";
import { formatCost, formatTokens } from "~/components/session/format";
import { StatusBadge } from "~/components/session/status-badge";
import { ArchiveState } from "~/components/archive/archive-state";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { TimeAgo } from "~/components/session/time-ago";
import { EditableTitle } from "~/components/session-actions/editable-title";
import { DeleteSession } from "~/components/session-actions/delete-session";

export type SessionRow = inferRouterOutputs<AppRouter>["session"]["list"]["items"][number];

// Below the lg breakpoint (1024 px) each row is a card (a grid of its cells, the numbers labelled
// from data-label) instead of a table row: a narrow screen (a phone, or a laptop's half
// screen, where the table's nine columns would scroll) reads a session without scrolling sideways.
// The same elements either way, so keyboard moves (j/k) and links work on both.
const cell = "px-3 py-2 max-lg:p-0";
const card = "max-lg:block";
const labelled = "max-lg:text-left max-lg:before:mr-1 max-lg:before:text-slate-600 max-lg:before:content-[attr(data-label)]";

/** Root sessions with their tree totals; operators rename and delete them in place. The dashboard feeds it live data. */
export function SessionTable({ sessions, canOperate }: { sessions: SessionRow[]; canOperate: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className={`w-full text-sm ${card}`} data-testid="session-table">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600 max-lg:hidden">
          <tr>
            <th className="px-3 py-2 font-medium">Session</th>
            <th className="px-3 py-2 font-medium">Status</th>
            <th className="px-3 py-2 font-medium">Runner · directory</th>
            <th className="px-3 py-2 font-medium">Agent · model</th>
            <th className="px-3 py-2 font-medium">Started (by) · last activity</th>
            <th className="px-3 py-2 text-right font-medium">Tokens</th>
            <th className="px-3 py-2 text-right font-medium">Cost</th>
            <th className="px-3 py-2 text-right font-medium">Sub-agents</th>
          </tr>
        </thead>
        <tbody className={`divide-y divide-slate-100 ${card}`}>
          {sessions.map((s) => (
            <tr
              key={s.id}
              data-testid="session-row"
              data-session-id={s.id}
              className="hover:bg-slate-50 max-lg:grid max-lg:grid-cols-2 max-lg:gap-x-4 max-lg:gap-y-1.5 max-lg:p-3"
            >
              <td className={`max-w-56 ${cell} max-lg:col-span-2 max-lg:max-w-none`}>
                {/* The title on its own line, the row's buttons under it: a title is not cut to a few letters to make room for them. */}
                <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  <EditableTitle sessionId={s.id} title={s.title} canRename={canOperate}>
                    <AppLink href={`/sessions/${s.id}`} data-row-link className="block min-w-0 basis-full truncate font-medium text-slate-900 hover:text-sky-700 hover:underline" title={s.title || undefined}>
                      {markUnrepresentable(s.title || "Untitled session")}
                    </AppLink>
                  </EditableTitle>
                  {canOperate && !s.deletedAt && (
                    <DeleteSession target={{ sessionId: s.id, title: s.title, runnerName: s.runner.name, subagents: s.tree.subagents }} />
                  )}
                </span>
              </td>
              <td className={`${cell} max-lg:col-span-2`}>
                <StatusBadge status={s.displayStatus} />
                {s.statusReason && (s.displayStatus === "error" || s.displayStatus === "stalled") && (
                  <span data-testid="status-reason" className="mt-0.5 block max-w-44 truncate text-xs text-red-800" title={s.statusReason}>
                    {s.statusReason}
                  </span>
                )}
                <ArchiveState state={s.archiveState} error={s.archiveError} lastArchivedAt={s.lastArchivedAt} compact />
              </td>
              <td className={`max-w-40 ${cell} max-lg:max-w-none max-lg:min-w-0`}>
                <span className="block text-slate-700">{s.runner.name}</span>
                <span className="block truncate font-mono text-xs text-slate-500" title={s.directory}>
                  {s.directory}
                </span>
              </td>
              <td className={`${cell} min-w-0 text-xs text-slate-600`}>
                <span className="block">{s.agent ?? "—"}</span>
                <span className="block text-slate-500">{s.modelId ? `${s.providerId}/${s.modelId}` : ""}</span>
              </td>
              <td className={`${cell} text-xs text-slate-600 max-lg:col-span-2`}>
                <span className="block" title="Started">
                  <TimeAgo at={s.createdAt} />
                  <span data-testid="started-by">{s.startedBy ? ` by ${s.startedBy.name}` : ""}</span>
                </span>
                <span className="block text-slate-500">
                  active <TimeAgo at={s.lastActivityAt} />
                </span>
              </td>
              <td data-label="Tokens" className={`whitespace-nowrap ${cell} text-right text-xs tabular-nums text-slate-700 ${labelled}`} title="Input / output, whole tree">
                {formatTokens(s.tree.tokensInput)} / {formatTokens(s.tree.tokensOutput)}
              </td>
              <td data-label="Cost" className={`${cell} text-right text-xs tabular-nums text-slate-700 ${labelled}`}>
                {formatCost(s.tree.cost)}
              </td>
              <td data-label="Sub-agents" className={`${cell} text-right text-xs tabular-nums text-slate-700 ${labelled}`} data-testid="subagent-count">
                {s.tree.subagents}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
