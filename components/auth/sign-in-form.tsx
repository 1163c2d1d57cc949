"use client";

import { useState } from "react";
import { authClient } from "./auth-client";
import { buttonClass, Field, FormError } from "./fields";

/** Email and password; back to where the visitor was going (`next`, a path on this site only). */
export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      aria-label="Sign in"
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        setPending(true);
        setError(null);
        const { error } = await authClient.signIn.email({ email: String(form.get("email")), password: String(form.get("password")) });
        setPending(false);
        if (error) setError(error.status === 429 ? "Too many attempts. Wait a minute and try again." : (error.message ?? "Sign-in failed."));
        else window.location.assign(next);
      }}
    >
      <Field label="Email" name="email" type="email" autoComplete="username" required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <FormError message={error} />
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
