import { TRPCError } from "@trpc/server";
import { api } from "~/server/api/server-caller";
import { MIN_PASSWORD_LENGTH } from "~/server/auth/auth";
import { SignUpForm } from "./sign-up-form";

/** The page behind a setup or invite link: what it grants, and the form that spends it. */
export async function OneTimeLinkPage({ token, heading, intro }: { token: string | undefined; heading: string; intro: string }) {
  const invite = token
    ? await (await api()).account.invite({ token }).catch((error: unknown) => {
        if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return error.message;
        throw error;
      })
    : "This page needs the link you were given (it ends with ?token=…).";
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-semibold">{heading}</h1>
      {typeof invite === "string" ? (
        <p role="alert" className="text-sm text-red-700">
          {invite}
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-600">
            {intro} Your role: <strong>{invite.role}</strong>.
          </p>
          <SignUpForm token={token!} minPasswordLength={MIN_PASSWORD_LENGTH} />
        </>
      )}
    </div>
  );
}
