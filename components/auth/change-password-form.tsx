"use client";

import { useState } from "react";
import { authClient } from "./auth-client";
import { buttonClass, Field, FormError } from "./fields";

/** Changes the signed-in member's password; their other browsers are signed out. */
export function ChangePasswordForm({ minPasswordLength }: { minPasswordLength: number }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  return (
    <form
      aria-label="Change password"
      className="max-w-sm space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const formElement = e.currentTarget;
        const form = new FormData(formElement);
        setDone(false);
        if (form.get("newPassword") !== form.get("confirm")) return setError("The two new passwords differ.");
        const { error } = await authClient.changePassword({
          currentPassword: String(form.get("currentPassword")),
          newPassword: String(form.get("newPassword")),
          revokeOtherSessions: true,
        });
        setError(error ? (error.message ?? "The password was not changed.") : null);
        if (!error) {
          setDone(true);
          formElement.reset();
        }
      }}
    >
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required />
      <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required minLength={minPasswordLength} />
      <Field label="Repeat the new password" name="confirm" type="password" autoComplete="new-password" required minLength={minPasswordLength} />
      <FormError message={error} />
      {done && <p role="status" className="text-sm text-emerald-700">Password changed. Your other browsers are signed out.</p>}
      <button type="submit" className={buttonClass}>
        Change password
      </button>
    </form>
  );
}
