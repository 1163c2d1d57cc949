"use client";

import { useState } from "react";
import { AccountForm } from "./account-form";
import { authClient } from "./auth-client";
import { Field } from "./fields";

/** Changes the signed-in member's password; their other browsers are signed out. */
export function ChangePasswordForm({ minPasswordLength }: { minPasswordLength: number }) {
  const [done, setDone] = useState(false);
  return (
    <AccountForm
      label="Change password"
      submitLabel="Change password"
      pendingLabel="Changing…"
      submit={async (form, element) => {
        setDone(false);
        if (form.get("newPassword") !== form.get("confirm")) return "The two new passwords differ.";
        const { error } = await authClient.changePassword({
          currentPassword: String(form.get("currentPassword")),
          newPassword: String(form.get("newPassword")),
          revokeOtherSessions: true,
        });
        // better-auth's code for a wrong current password; its message ("Invalid password") does not say which.
        if (error?.code === "INVALID_PASSWORD") return "The current password is wrong; the password was not changed.";
        if (error) return error.message ?? "The password was not changed.";
        setDone(true);
        element.reset();
      }}
    >
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required />
      <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required minLength={minPasswordLength} />
      <Field label="Repeat the new password" name="confirm" type="password" autoComplete="new-password" required minLength={minPasswordLength} />
      {done && (
        <p role="status" className="text-sm text-emerald-700">
          Password changed. Your other browsers are signed out.
        </p>
      )}
    </AccountForm>
  );
}
