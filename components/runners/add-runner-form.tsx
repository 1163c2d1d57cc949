"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";

const field = "w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm";

/** Registers a remote `opencode serve` by URL; the server checks its health before keeping it. */
export function AddRunnerForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [values, setValues] = useState({ name: "", url: "", username: "", password: "" });
  const add = useMutation(
    trpc.runner.addRemote.mutationOptions({
      onSuccess: () => {
        setValues({ name: "", url: "", username: "", password: "" });
        router.refresh();
      },
    }),
  );
  const input = (name: keyof typeof values, label: string, type = "text", placeholder = "") => (
    <label htmlFor={`${ids}-${name}`} className="space-y-1 text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <input
        id={`${ids}-${name}`}
        type={type}
        value={values[name]}
        placeholder={placeholder}
        autoComplete="off"
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
        className={field}
      />
    </label>
  );

  return (
    <form
      aria-label="Add a remote runner"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4"
      // The browser refused the form itself (not a URL): the server's last answer no longer applies.
      onInvalidCapture={() => add.reset()}
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate({
          name: values.name,
          url: values.url,
          username: values.username || undefined,
          password: values.password || undefined,
        });
      }}
    >
      {input("name", "Name", "text", "build-box")}
      {input("url", "URL", "url", "http://10.0.0.5:4096")}
      {input("username", "Username (optional)", "text", "opencode")}
      {input("password", "Password (optional)", "password")}
      <div className="flex items-center gap-3 md:col-span-4">
        <button
          type="submit"
          disabled={add.isPending || !values.name.trim() || !values.url.trim()}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
        >
          {add.isPending ? "Checking the runner…" : "Add runner"}
        </button>
        {add.error && (
          <span role="alert" className="text-sm text-red-700">
            {/* A refused input (e.g. a URL with user:pass@) says why in its field error. */}
            {(Object.values(add.error.data?.zodError?.fieldErrors ?? {}) as (string[] | undefined)[]).flat()[0] ?? add.error.message}
          </span>
        )}
      </div>
    </form>
  );
}
