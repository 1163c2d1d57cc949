import { TRPCError } from "@trpc/server";
import type { ReactNode } from "react";
import { GroupChart } from "~/components/usage/group-chart";
import { TimeChart } from "~/components/usage/time-chart";
import { BucketToggle, UsageFilters } from "~/components/usage/usage-filters";
import { GroupTable, SeriesTable, TopTrees, TotalsStrip } from "~/components/usage/usage-tables";
import { dayName } from "~/components/usage/format";
import { api } from "~/server/api/server-caller";
import { USAGE_FIELDS, usageInputOf, usageSearch } from "~/server/usage/search-params";
import { inputIssues } from "~/server/api/errors";
import type { UsageGroup, UsageReport } from "~/server/usage/report";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** Tokens and cost across the whole archive, for team members (server/usage). */
export default async function UsagePage({ searchParams }: { searchParams: Search }) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) if (typeof value === "string") params.set(key, value);
  const asked = usageInputOf(params);
  const caller = await api();
  const [report, runners] = await Promise.all([caller.usage.report(asked).catch(refusal), caller.runner.list()]);
  if ("refused" in report) {
    return (
      <Page>
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="usage-error">
          {report.refused}
        </p>
        <p className="text-sm">
          <a href="/usage" className="text-sky-700 hover:underline">
            Show the last 30 days
          </a>
        </p>
      </Page>
    );
  }
  const { range } = report;
  const runnerLink = (g: UsageGroup) => (g.key && !range.runnerId ? `/usage${usageSearch({ ...asked, runnerId: g.key })}` : null);
  return (
    <Page>
      <p className="text-sm text-slate-600" data-testid="usage-range">
        {dayName(range.from)} to {dayName(range.to)} (UTC), {range.runnerId ? `runner ${runners.find((r) => r.id === range.runnerId)?.name ?? "unknown"}` : "every runner"}.
        Sub-agents count in their tree and for the person who started it.
      </p>
      <UsageFilters range={range} asked={asked} runners={runners} />
      <TotalsStrip totals={report.totals} />
      <Section
        title={`Per ${range.bucket}`}
        aside={<BucketToggle range={range} asked={asked} />}
        note={range.bucket === "week" ? "Weeks start on Monday (UTC); a week the range cuts counts only its days in the range." : undefined}
      >
        {report.totals.steps === 0 ? (
          // Axes over nothing read as a chart that failed to load.
          <p className="text-sm text-slate-500" data-testid="usage-nothing">Nothing ran in this range.</p>
        ) : (
          <>
            <TimeChart series={report.series} bucket={range.bucket} />
            <details>
              <summary className="cursor-pointer text-sm text-slate-600">As a table</summary>
              <SeriesTable series={report.series} bucket={range.bucket} />
            </details>
          </>
        )}
      </Section>
      <Breakdown title="By runner" name="Runner" report={report} groups={report.byRunner} href={runnerLink} />
      <Breakdown title="By model" name="Model" report={report} groups={report.byModel} />
      <Breakdown title="By agent" name="Agent" report={report} groups={report.byAgent} />
      <Breakdown title="By person" name="Person" report={report} groups={report.byPerson} note="Who started the tree from Flightdeck." />
      <Section title="Most expensive session trees" note="A tree is a root session with every sub-agent it spawned, counted over this range.">
        <TopTrees trees={report.topTrees} />
      </Section>
    </Page>
  );
}

// A range the page cannot show (a bad date, from after to, too long) is said, not a 500.
function refusal(error: unknown): { refused: string } {
  if (error instanceof TRPCError && error.code === "BAD_REQUEST") return { refused: `This range cannot be shown: ${inputIssues(error, USAGE_FIELDS) ?? error.message}` };
  throw error;
}

function Page({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6" data-testid="usage-page">
      <h1 className="text-2xl font-semibold">Usage</h1>
      {children}
    </div>
  );
}

function Section({ title, aside, note, children }: { title: string; aside?: ReactNode; note?: string; children: ReactNode }) {
  return (
    <section className="space-y-2" aria-label={title}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{title}</h2>
        {aside}
      </div>
      {note && <p className="text-xs text-slate-500">{note}</p>}
      {children}
    </section>
  );
}

function Breakdown(props: { title: string; name: string; note?: string; report: UsageReport; groups: UsageGroup[]; href?: (g: UsageGroup) => string | null }) {
  const { report, groups } = props;
  return (
    <Section title={props.title} note={props.note}>
      {groups.length > 0 && <GroupChart title={props.title.toLowerCase()} groups={groups} buckets={report.buckets} bucket={report.range.bucket} />}
      <GroupTable name={props.name} groups={groups} href={props.href} />
    </Section>
  );
}
