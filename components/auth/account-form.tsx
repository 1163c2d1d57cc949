"use client";

import { useState, type ReactNode } from "react";
import { useHydrated } from "~/components/layout/use-hydrated";
import { buttonClass, FormError } from "./fields";

/**
 * The frame of every account form: one submit at a time, and the refusal it gets shown above
 * the button. `submit` answers the message to show, or nothing when it went through.
 */
export function AccountForm({
  label,
  submitLabel,
  pendingLabel,
  submit,
  children,
}: {
  label: string;
  submitLabel: string;
  pendingLabel: string;
  submit: (form: FormData, element: HTMLFormElement) => Promise<string | null | undefined | void>;
  children: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  return (
    <form
      aria-label={label}
      className="max-w-sm space-y-4"
      // The browser refused the form itself (a field too short): the last answer no longer applies.
      onInvalidCapture={() => setError(null)}
      onSubmit={async (e) => {
        e.preventDefault();
        const element = e.currentTarget;
        setPending(true);
        setError(null);
        const problem = await submit(new FormData(element), element).catch((failure: unknown) => String(failure));
        setPending(false);
        setError(problem || null);
      }}
    >
      {children}
      <FormError message={error} />
      <button type="submit" disabled={pending || !hydrated} className={buttonClass}>
        {pending ? pendingLabel : submitLabel}
      </button>
    </form>
  );
}
