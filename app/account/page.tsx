import { ChangePasswordForm } from "~/components/auth/change-password-form";
import { api } from "~/server/api/server-caller";
import { MIN_PASSWORD_LENGTH } from "~/server/auth/auth";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const me = await (await api()).account.me();
  if (me.kind !== "user") return null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Your account</h1>
      <p className="text-sm text-slate-600">
        {me.name} · {me.email} · role <strong>{me.role}</strong>
      </p>
      <ChangePasswordForm minPasswordLength={MIN_PASSWORD_LENGTH} />
    </div>
  );
}
