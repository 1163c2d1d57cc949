"use client";

import { useHydrated } from "~/components/layout/use-hydrated";
import { LocalTime } from "~/components/session/local-time";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass, fieldClass, FormError } from "~/components/auth/fields";
import { ConfirmButton } from "~/components/layout/confirm-button";
import { useTRPC } from "~/components/trpc/react";

const ROLES = ["viewer", "operator", "admin"] as const;
type Role = (typeof ROLES)[number];

/** Team administration: members with their roles, invite links, disabling. Admins only. */
export function TeamAdmin({ selfId }: { selfId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.team.members.queryOptions());
  const invites = useQuery(trpc.team.invites.queryOptions());
  const router = useRouter();
  // The lists here, and the audit log the server rendered below them.
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
    router.refresh();
  };
  const setRole = useMutation(trpc.team.setRole.mutationOptions({ onSettled: refresh }));
  const disable = useMutation(trpc.team.disable.mutationOptions({ onSettled: refresh }));
  const enable = useMutation(trpc.team.enable.mutationOptions({ onSettled: refresh }));
  const [revokedIds, setRevokedIds] = useState<string[]>([]);
  const revoke = useMutation(
    trpc.team.revokeInvite.mutationOptions({ onSuccess: (_, { inviteId }) => setRevokedIds((ids) => [...ids, inviteId]), onSettled: refresh }),
  );
  const error = setRole.error ?? disable.error ?? enable.error ?? revoke.error;

  return (
    <div className="space-y-8">
      <InviteForm onCreated={refresh} revokedIds={revokedIds} />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Members</h2>
        <FormError message={error?.message} />
        {/* Scrolls inside itself on a narrow screen rather than widening the page. */}
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1">Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {members.data?.map((m) => (
                <tr key={m.id} className="border-t border-slate-100" data-member={m.email}>
                  <td className="py-1.5">{m.name}</td>
                  <td>{m.email}</td>
                  <td>
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={m.id === selfId}
                      onChange={(e) => setRole.mutate({ userId: m.id, role: e.target.value as Role })}
                      className="rounded border border-slate-300 px-1 py-0.5"
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td>{m.disabledAt ? "Disabled" : "Active"}</td>
                  <td className="text-right">
                    {m.id !== selfId &&
                      (m.disabledAt ? (
                        <button type="button" className="text-slate-700 underline" onClick={() => enable.mutate({ userId: m.id })}>
                          Enable
                        </button>
                      ) : (
                        <ConfirmButton label="Disable" confirm={`Disable ${m.email}: signs them out everywhere`} onConfirm={() => disable.mutate({ userId: m.id })} />
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {invites.data && invites.data.length > 0 && (
        <section className="space-y-2">
          <h2 className="text-lg font-semibold">Open invites</h2>
          <ul className="space-y-1 text-sm">
            {invites.data.map((i) => (
              <li key={i.id} className="flex gap-3">
                <span>
                  {i.role}, by {i.createdBy?.name ?? "—"}, expires <LocalTime at={i.expiresAt} />
                </span>
                <button type="button" className="text-red-700 underline" onClick={() => revoke.mutate({ inviteId: i.id })}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** The link just made is no longer offered once revoked (`revokedIds`). */
function InviteForm({ onCreated, revokedIds }: { onCreated: () => void; revokedIds: string[] }) {
  const trpc = useTRPC();
  const [role, setRole] = useState<Role>("viewer");
  const invite = useMutation(trpc.team.invite.mutationOptions({ onSuccess: onCreated }));
  const hydrated = useHydrated();
  const link = invite.data && !revokedIds.includes(invite.data.id) ? `${window.location.origin}${invite.data.path}` : undefined;
  return (
    <section className="space-y-2">
      <h2 className="text-lg font-semibold">Invite someone</h2>
      <form
        aria-label="Invite someone"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate({ role });
        }}
      >
        {/* Until hydrated: a role picked before would be reset to the default, silently. */}
        <fieldset disabled={!hydrated} className="contents">
          <label className="space-y-1 text-sm">
            <span className="block font-medium text-slate-700">Role</span>
            <select aria-label="Role of the invite" value={role} onChange={(e) => setRole(e.target.value as Role)} className={fieldClass}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={invite.isPending} className={buttonClass}>
            Make invite link
          </button>
        </fieldset>
      </form>
      <FormError message={invite.error?.message} />
      {link && (
        <div className="space-y-1 text-sm">
          <p>Send this link to the person you invite (it works once, for 7 days; it is not shown again):</p>
          <input aria-label="Invite link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} className={`${fieldClass} font-mono`} />
        </div>
      )}
    </section>
  );
}
