import { redirect } from "next/navigation";
import { SignInForm } from "~/components/auth/sign-in-form";
import { api } from "~/server/api/server-caller";
import { safeNextPath } from "~/server/auth/next-path";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const next = safeNextPath((await searchParams).next);
  const caller = await api();
  if ((await caller.account.me()).kind === "user") redirect(next);
  // An empty team has nobody to sign in: its first visitor sets it up.
  if (await caller.account.setupNeeded()) redirect("/setup");
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <SignInForm next={next} />
      <p className="text-sm text-slate-500">No account? Ask an admin of this Flightdeck for an invite link.</p>
    </div>
  );
}
