import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { mutate, query, saveScreenshot, startSession, unique, waitForRun } from "./helpers";

// The Usage page after a real run with the Demo model (a sub-agent included): its totals are the
// archive's, the charts draw, the per-week view is a link, and the CSV holds the run's tree.

type Totals = { steps: number; cost: number; tokens: Record<string, number> };
type Report = { totals: Totals; range: { from: string; to: string } };
type Trees = { trees: (Totals & { rootId: string; title: string })[] };

test("shows a run's tokens and cost per day and per week, and exports its tree as CSV", async ({ page, request }) => {
  test.setTimeout(150_000);
  const title = `Usage ${unique()}`;
  const id = await startSession(request, "Delegate this. demo:task", title);
  await waitForRun(request, id, 90_000);
  const tree = (await query<Trees>(request, "usage.trees", {})).trees.find((t) => t.rootId === id);
  expect(tree, "the run's tree in usage.trees").toBeDefined();
  expect(tree!.cost).toBeGreaterThan(0);

  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/usage");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage" }).waitFor();
  // What the page shows is what the archive holds right then (a run of another test may end meanwhile).
  await expect(async () => {
    await page.reload();
    const { totals } = await query<Report>(request, "usage.report", {});
    await expect(page.getByTestId("usage-total-steps")).toHaveText(totals.steps.toLocaleString("en-US"), { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("usage-time-chart").locator(".recharts-wrapper > svg")).toBeVisible();
  await expect(page.getByTestId("usage-time-chart").locator(".recharts-bar-rectangle").first()).toBeAttached();
  await expect(page.getByTestId("usage-group-chart").first().locator(".recharts-wrapper > svg")).toBeVisible();
  await expect(page.getByTestId("usage-table-agent")).toContainText("general");
  await expect(page.getByTestId("usage-series-table").locator("tbody tr")).toHaveCount(30);
  await saveScreenshot(page, "usage");

  // Per week: a link to the same view, weeks starting on Monday.
  await page.getByTestId("usage-bucket").getByRole("link", { name: "Per week" }).click();
  await expect(page).toHaveURL(/\/usage\?bucket=week$/);
  await expect(page.getByRole("heading", { name: "Per week" })).toBeVisible();
  await expect(page.getByTestId("usage-bucket").getByRole("link", { name: "Per week" })).toHaveAttribute("aria-current", "page");
  const weeks = await page.getByTestId("usage-series-table").locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-bucket")!));
  expect(weeks.length).toBeGreaterThanOrEqual(5);
  expect(weeks.every((day) => new Date(`${day}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
  await expect(page.getByTestId("usage-time-chart").locator(".recharts-wrapper > svg")).toBeVisible();

  // The CSV of the same view: the header, and a row for this tree with its totals.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("usage-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^flightdeck-usage-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await download.path())!, "utf8").split("\r\n");
  expect(lines[0]).toBe(
    "root_session_id,title,runner,started_by,first_day,last_day,steps,unpriced_steps,tokens_input,tokens_output,tokens_reasoning,tokens_cache_read,tokens_cache_write,cost_usd,deleted",
  );
  const row = lines.find((line) => line.startsWith(`${id},`))?.split(",");
  expect(row, "a row for the run's tree").toBeDefined();
  expect(row![1]).toBe(title);
  expect(row!.slice(6, 9).map(Number)).toEqual([tree!.steps, 0, tree!.tokens.input]);
  // Cents to a millionth of a dollar, without the float noise of a sum.
  expect(Number(row![13])).toBeCloseTo(tree!.cost, 6);

  // A bad address is refused in words, naming its own field.
  const bad = await request.get("/api/usage/csv?runner=nope&from=2026-13-40");
  expect(bad.status()).toBe(400);
  const { message } = (await bad.json()) as { message: string };
  expect(message).toMatch(/runner: .*; from: |from: .*; runner: /);
  expect(message).not.toContain("[");
  await page.goto("/usage?bucket=month");
  await expect(page.getByTestId("usage-error")).toHaveText("This range cannot be shown: Usage is grouped per day or per week");
  // A range where nothing ran says so, rather than drawing empty axes.
  await page.goto("/usage?from=2020-01-01&to=2020-01-31");
  await expect(page.getByTestId("usage-nothing")).toHaveText("Nothing ran in this range.");
  await expect(page.getByTestId("usage-time-chart")).toHaveCount(0);
  await page.goto("/usage?runner=nope");
  await expect(page.getByTestId("usage-error")).toContainText("runner:");
  await expect(page.getByTestId("usage-error")).not.toContainText("runnerId");

  // A share link reads one tree, never the team's spending.
  const { path } = await mutate<{ path: string }>(request, "share.create", { sessionId: id });
  const shared = await request.get("/api/usage/csv", { headers: { "x-flightdeck-share": path.split("/")[2]! } });
  expect(shared.status()).toBe(401);
  expect(errors).toEqual([]);
});
