import { AppLink } from "~/components/layout/app-link";

/** Shown with status 400 (proxy.ts rewrites malformed /sessions/<id> addresses here). */
export default function InvalidSessionId() {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center">
      <p className="text-sm font-medium text-slate-500">400</p>
      <h1 className="mt-1 text-xl font-semibold">That is not a session address</h1>
      <p className="mt-2 text-sm text-slate-600">Session addresses end in an id like 3f0c9a7e-1b2d-4c5e-8f9a-0b1c2d3e4f5a.</p>
      <AppLink href="/" className="mt-4 inline-block text-sm text-sky-700 hover:underline">
        Back to all sessions
      </AppLink>
    </div>
  );
}
