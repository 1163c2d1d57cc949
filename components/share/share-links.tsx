"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppLink } from "~/components/layout/app-link";
import { FormError } from "~/components/auth/fields";
import { useCan } from "~/components/auth/use-me";
import { LocalTime } from "~/components/session/local-time";
import { ConfirmButton } from "~/components/layout/confirm-button";
import { useTRPC } from "~/components/trpc/react";
import { TimeAgo } from "~/components/session/time-ago";

const stateLabel: Record<string, string> = { active: "Active", expired: "Expired", revoked: "Revoked", "sharing-off": "Sharing off", purged: "Session purged" };

/** Share links, of one tree or all of them: who made each, when it ends, how often it was seen; revoke in one click. */
export function ShareLinks({ sessionId }: { sessionId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canRevoke = useCan("operator");
  const links = useQuery(trpc.share.list.queryOptions(sessionId ? { sessionId } : undefined));
  const revoke = useMutation(trpc.share.revoke.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.share.pathKey() }) }));
  if (links.data?.length === 0) return <p className="text-sm text-slate-500">No share links{sessionId ? " for this session" : ""} yet.</p>;
  return (
    <div className="space-y-2">
      <FormError message={links.error?.message ?? revoke.error?.message} />
      <table className="w-full text-left text-sm" data-testid="share-links">
        <thead className="text-xs text-slate-500">
          <tr>
            {!sessionId && <th className="py-1">Tree</th>}
            <th className="py-1">Created</th>
            <th>By</th>
            <th>Expires</th>
            <th>Views</th>
            <th>Last viewed</th>
            <th>Shows</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {links.data?.map((link) => (
            <tr key={link.id} className="border-t border-slate-100" data-testid="share-link" data-link-id={link.id} data-state={link.state}>
              {!sessionId && (
                <td className="py-1.5">
                  <AppLink href={`/sessions/${link.sessionId}`} className="text-sky-700 hover:underline">
                    {link.state === "purged" ? "A purged session" : link.title || "Untitled session"}
                  </AppLink>{" "}
                  <span className="text-xs text-slate-500">({link.sessions} session{link.sessions === 1 ? "" : "s"})</span>
                </td>
              )}
              <td className="py-1.5">
                <TimeAgo at={link.createdAt} />
              </td>
              <td>{link.creator ?? "—"}</td>
              <td>{link.expiresAt ? <LocalTime at={link.expiresAt} /> : "Never"}</td>
              <td className="tabular-nums" data-testid="share-views">
                {link.viewCount}
              </td>
              <td>{link.lastViewedAt ? <TimeAgo at={link.lastViewedAt} /> : "—"}</td>
              <td className="text-xs text-slate-600">{includes(link.include)}</td>
              <td data-testid="share-state">{stateLabel[link.state]}</td>
              <td className="text-right">
                {canRevoke && link.state !== "revoked" && link.state !== "purged" && (
                  <ConfirmButton label="Revoke" confirm="Revoke: the link stops opening for everyone, for good" onConfirm={() => revoke.mutate({ linkId: link.id })} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function includes(include: { reasoning: boolean; toolOutputs: boolean; subAgents: boolean }): string {
  const left = [!include.subAgents && "sub-agents", !include.reasoning && "reasoning", !include.toolOutputs && "tool outputs"].filter(Boolean);
  return left.length === 0 ? "Everything" : `All but ${left.join(", ")}`;
}
