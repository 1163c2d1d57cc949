"use client";

import { AccountForm } from "./account-form";
import { authClient } from "./auth-client";
import { Field } from "./fields";

/** Email and password; back to where the visitor was going (`next`, a path on this site only). */
export function SignInForm({ next }: { next: string }) {
  return (
    <AccountForm
      label="Sign in"
      submitLabel="Sign in"
      pendingLabel="Signing in…"
      submit={async (form) => {
        const { error } = await authClient.signIn.email({ email: String(form.get("email")), password: String(form.get("password")) });
        if (!error) return window.location.assign(next);
        return error.status === 429 ? "Too many attempts. Wait a minute and try again." : (error.message ?? "Sign-in failed.");
      }}
    >
      <Field label="Email" name="email" type="email" autoComplete="username" required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
    </AccountForm>
  );
}
