import type { ReactNode } from "react";
import { TimeAgo } from "~/components/session/time-ago";

/** The line under a session's title: where it runs, with what, since when (live and archived alike). */
export function SessionFacts(props: {
  runner: { name: string; status: string };
  directory: string;
  agent?: string | null;
  model?: string | null;
  createdAt: Date | string | number;
  children?: ReactNode;
}) {
  return (
    <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500">
      <span>
        Runner <span className="text-slate-700">{props.runner.name}</span> ({props.runner.status})
      </span>
      <span className="break-all font-mono">{props.directory}</span>
      {props.agent && <span>Agent {props.agent}</span>}
      {props.model && <span>Model {props.model}</span>}
      <span>
        Started <TimeAgo at={props.createdAt} />
      </span>
      {props.children}
    </p>
  );
}
