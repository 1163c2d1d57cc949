import { StatusBadge } from "~/components/session/status-badge";
import { markUnrepresentable } from "~/server/store/lossless-text";
import type { PaletteItem } from "./results";

const kindLabel: Record<PaletteItem["kind"], string> = { page: "Page", session: "Session", runner: "Runner", search: "Search" };

/**
 * One result. Its name is the option's accessible name (`${id}-name`); what it is (`-kind`) and
 * what tells two alike apart (`-about`: a session's status and runner) are its description.
 */
export function PaletteOption({ id, item }: { id: string; item: PaletteItem }) {
  return (
    <>
      <span id={`${id}-kind`} className="w-14 shrink-0 text-xs uppercase tracking-wide text-slate-500">
        {kindLabel[item.kind]}
      </span>
      <span id={`${id}-name`} className="min-w-0 flex-1 truncate font-medium text-slate-900">
        {markUnrepresentable(item.label)}
      </span>
      <span id={`${id}-about`} className="flex shrink-0 items-center gap-2 text-xs text-slate-500">
        {item.kind === "session" && (
          <>
            <StatusBadge status={item.session.displayStatus} />
            {item.session.runner.name}
          </>
        )}
        {item.kind === "runner" && item.runner.status}
      </span>
    </>
  );
}
