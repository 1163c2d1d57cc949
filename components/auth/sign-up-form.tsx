"use client";

import { useState } from "react";
import { buttonClass, Field, FormError } from "./fields";

/**
 * Creates an account from a one-time link (the setup link or an invite): the server checks the
 * token and gives the role it grants, then signs the new member in.
 */
export function SignUpForm({ token, submitLabel, minPasswordLength }: { token: string; submitLabel: string; minPasswordLength: number }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      aria-label="Create your account"
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        if (form.get("password") !== form.get("confirm")) return setError("The two passwords differ.");
        setPending(true);
        setError(null);
        const response = await fetch("/api/auth/sign-up/email", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: form.get("name"), email: form.get("email"), password: form.get("password"), inviteToken: token }),
        });
        setPending(false);
        if (response.ok) return window.location.assign("/");
        const body = (await response.json().catch(() => ({}))) as { message?: string };
        setError(body.message ?? `Could not create the account (${response.status}).`);
      }}
    >
      <Field label="Name" name="name" autoComplete="name" required maxLength={100} />
      <Field label="Email" name="email" type="email" autoComplete="username" required />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={minPasswordLength} />
      <Field label="Repeat the password" name="confirm" type="password" autoComplete="new-password" required minLength={minPasswordLength} />
      <FormError message={error} />
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? "Creating…" : submitLabel}
      </button>
    </form>
  );
}
