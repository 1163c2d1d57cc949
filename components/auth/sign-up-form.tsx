"use client";

import { AccountForm } from "./account-form";
import { Field } from "./fields";

/**
 * Creates an account from a one-time link (the setup link or an invite): the server checks the
 * token and gives the role it grants, then signs the new member in.
 */
export function SignUpForm({ token, minPasswordLength }: { token: string; minPasswordLength: number }) {
  return (
    <AccountForm
      label="Create your account"
      submitLabel="Create account"
      pendingLabel="Creating…"
      submit={async (form) => {
        if (form.get("password") !== form.get("confirm")) return "The two passwords differ.";
        const response = await fetch("/api/auth/sign-up/email", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: form.get("name"), email: form.get("email"), password: form.get("password"), inviteToken: token }),
        });
        if (response.ok) return window.location.assign("/");
        const body = (await response.json().catch(() => ({}))) as { message?: string };
        return body.message ?? `Could not create the account (${response.status}).`;
      }}
    >
      <Field label="Name" name="name" autoComplete="name" required maxLength={100} />
      <Field label="Email" name="email" type="email" autoComplete="username" required />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={minPasswordLength} />
      <Field label="Repeat the password" name="confirm" type="password" autoComplete="new-password" required minLength={minPasswordLength} />
    </AccountForm>
  );
}
