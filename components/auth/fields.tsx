import type { InputHTMLAttributes } from "react";

export const fieldClass = "w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm";
export const buttonClass = "rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50";

/** A labelled input of the account forms. */
export function Field({ label, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="block space-y-1 text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <input {...input} className={fieldClass} />
    </label>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="text-sm text-red-700">
      {message}
    </p>
  );
}
