import { redirect } from "next/navigation";
import { OneTimeLinkPage } from "~/components/auth/one-time-link-page";
import { api } from "~/server/api/server-caller";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** First start: the link the server printed creates the first admin. */
export default async function SetupPage({ searchParams }: { searchParams: Search }) {
  if (!(await (await api()).account.setupNeeded())) redirect("/sign-in");
  const token = (await searchParams).token;
  return (
    <OneTimeLinkPage
      token={typeof token === "string" ? token : undefined}
      heading="Set up Flightdeck"
      intro="Create the first account of this Flightdeck. It manages the team, the runners and the archive."
    />
  );
}
