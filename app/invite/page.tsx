import { OneTimeLinkPage } from "~/components/auth/one-time-link-page";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** An invite link an admin made: creates one account with the role it grants. */
export default async function InvitePage({ searchParams }: { searchParams: Search }) {
  const token = (await searchParams).token;
  return (
    <OneTimeLinkPage
      token={typeof token === "string" ? token : undefined}
      heading="Join Flightdeck"
      intro="You were invited to this team's Flightdeck."
    />
  );
}
