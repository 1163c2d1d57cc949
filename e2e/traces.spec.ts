import { expect, test, type Locator, type Page } from "@playwright/test";
import { mutate, query, saveScreenshot, startSession, unique, waitForRun, waitUntilIdle } from "./helpers";

// The trace waterfall as a person reads it: sub-agents running side by side and nested, a tool
// call growing while it waits on a person and then shown interrupted by an abort, and the same
// waterfall on a share link's page, linking nowhere in the app.

// Tall enough that every row of these small trees is rendered by the virtualized list.
test.use({ viewport: { width: 1400, height: 1400 } });

const rows = (scope: Page | Locator) => scope.locator("[data-testid=span-row]");
const row = (scope: Page | Locator, spanId: string) => scope.locator(`[data-testid=span-row][data-span-id="${spanId}"]`);

/** Errors the page threw or logged (a hydration mismatch among them), for asserting there are none. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|did not match/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}

async function barOf(scope: Page | Locator, spanId: string) {
  const bar = row(scope, spanId).getByTestId("span-bar");
  return {
    start: Number(await bar.getAttribute("data-start-ms")),
    end: Number(await bar.getAttribute("data-end-ms")),
    box: (await bar.boundingBox())!,
  };
}

test("parallel sub-agents overlap in the waterfall, each with its own nested sub-agent (depth 2)", async ({ page, request }) => {
  test.setTimeout(180_000);
  const id = await startSession(request, "Two helpers, each with a helper. demo:parallel=2", `Traces ${unique()}`);
  await waitForRun(request, id, 120_000);
  expect(await query<unknown[]>(request, "session.tree", { sessionId: id })).toHaveLength(5);
  const errors = pageErrors(page);

  await page.goto(`/sessions/${id}`);
  await page.getByTestId("traces-link").first().click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${id}/traces$`));
  const waterfall = page.getByTestId("waterfall");
  await expect(page.getByTestId("trace-view")).not.toHaveAttribute("data-loading", "");

  // Lanes by the contract (server/traces/span.ts): turn > step > task (sub-agent) > the child's
  // turn > step > task. The root's two sub-agents at depth 2, each child's own at depth 5.
  const subagents = waterfall.locator("[data-testid=span-row][data-kind=subagent]");
  await expect(subagents).toHaveCount(4);
  const top = waterfall.locator('[data-testid=span-row][data-kind=subagent][data-depth="2"]');
  const nested = waterfall.locator('[data-testid=span-row][data-kind=subagent][data-depth="5"]');
  await expect(top).toHaveCount(2);
  await expect(nested).toHaveCount(2);
  await expect(top.first()).toHaveAttribute("data-session-depth", "0");
  await expect(nested.first()).toHaveAttribute("data-session-depth", "1");

  // Each nested sub-agent sits under one of the two top ones, a different one each.
  const parents = new Map<string, string>();
  for (const r of await rows(waterfall).all()) parents.set((await r.getAttribute("data-span-id"))!, (await r.getAttribute("data-parent-id")) ?? "");
  const topIds = await top.evaluateAll((els) => els.map((e) => e.getAttribute("data-span-id")!));
  const nestedIds = await nested.evaluateAll((els) => els.map((e) => e.getAttribute("data-span-id")!));
  const topAncestor = (spanId: string) => {
    for (let at = parents.get(spanId); at; at = parents.get(at)) if (topIds.includes(at)) return at;
    return null;
  };
  expect(new Set(nestedIds.map(topAncestor))).toEqual(new Set(topIds));

  // The two top sub-agents ran at the same time: their bars overlap on the axis, on screen too.
  const [a, b] = await Promise.all(topIds.map((spanId) => barOf(waterfall, spanId)));
  expect(Math.max(a!.start, b!.start)).toBeLessThan(Math.min(a!.end, b!.end));
  expect(Math.max(a!.box.x, b!.box.x)).toBeLessThan(Math.min(a!.box.x + a!.box.width, b!.box.x + b!.box.width));
  // A nested sub-agent ran inside its parent's time.
  const inner = await barOf(waterfall, nestedIds[0]!);
  const outer = await barOf(waterfall, topAncestor(nestedIds[0]!)!);
  expect(inner.start).toBeGreaterThanOrEqual(outer.start);
  expect(inner.end).toBeLessThanOrEqual(outer.end);

  // Dragging across the axis over the two sub-agents zooms to them: their bars get wider, and
  // "Whole run" brings the whole run back.
  const axis = (await page.getByTestId("waterfall-axis").boundingBox())!;
  const left = Math.min(a!.box.x, b!.box.x);
  const right = Math.max(a!.box.x + a!.box.width, b!.box.x + b!.box.width);
  await page.mouse.move(left, axis.y + axis.height / 2);
  await page.mouse.down();
  await page.mouse.move((left + right) / 2, axis.y + axis.height / 2, { steps: 4 });
  await page.mouse.move(right, axis.y + axis.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByRole("button", { name: "Whole run" })).toBeEnabled();
  await expect.poll(async () => (await barOf(waterfall, topIds[0]!)).box.width).toBeGreaterThan(a!.box.width * 1.2);
  await page.getByRole("button", { name: "Whole run" }).click();
  await expect(page.getByRole("button", { name: "Whole run" })).toBeDisabled();

  // By keyboard: past the header and the summary's links at once, then rows by arrow keys.
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  let presses = 0;
  while (!(await page.evaluate(() => document.activeElement?.textContent === "Skip to the waterfall")) && presses < 20) {
    await page.keyboard.press("Tab");
    presses++;
  }
  expect(presses).toBeLessThan(20);
  await page.keyboard.press("Enter");
  await expect(waterfall.getByRole("grid")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("span-panel")).toBeVisible();

  // The summary counts all five sessions; a sub-agent span opens with its child session's link.
  await expect(page.getByTestId("trace-summary")).toBeVisible();
  await expect(page.getByTestId("trace-session")).toHaveCount(5);
  await top.first().click();
  const panel = page.getByTestId("span-panel");
  await expect(panel).toHaveAttribute("data-span-id", topIds[0]!);
  await expect(panel.getByTestId("span-child-link")).toHaveAttribute("href", /^\/sessions\/[0-9a-f-]{36}$/);

  // Collapsing a sub-agent hides its session's rows, and expanding brings them back.
  const before = await rows(waterfall).count();
  await row(waterfall, topIds[0]!).getByTestId("span-toggle").click();
  await expect(rows(waterfall)).not.toHaveCount(before);
  await expect(nested).toHaveCount(1);
  await row(waterfall, topIds[0]!).getByTestId("span-toggle").click();
  await expect(rows(waterfall)).toHaveCount(before);
  await saveScreenshot(page, "traces-parallel");

  // The archived view of the same tree shows its trace too.
  await page.goto(`/sessions/${id}?view=archive`);
  const archived = page.getByTestId("archived-trace");
  await expect(archived.getByTestId("trace-summary")).toBeVisible();
  await expect(archived.locator("[data-testid=span-row][data-kind=subagent]")).toHaveCount(4);
  expect(errors).toEqual([]);
});

test("a tool waiting on a permission grows live, and shows interrupted once the run is aborted", async ({ page, request }) => {
  test.setTimeout(150_000);
  const id = await startSession(request, "Run the command. demo:permission", `Traces wait ${unique()}`);
  await page.goto(`/sessions/${id}/traces`);
  await expect(page.getByTestId("trace-follow")).toHaveAttribute("data-state", "live");
  const running = page.locator("[data-testid=span-row][data-kind=tool][data-status=running]").first();
  await expect(running).toBeVisible({ timeout: 60_000 });
  const spanId = (await running.getAttribute("data-span-id"))!;
  await expect(running.getByTestId("span-status")).toHaveText("running");

  // While the permission is pending, the bar is drawn to "now": it gets longer on screen.
  const first = await barOf(page, spanId);
  await expect.poll(async () => (await barOf(page, spanId)).box.width, { timeout: 10_000 }).toBeGreaterThan(first.box.width);
  await expect.poll(async () => (await barOf(page, spanId)).end).toBeGreaterThan(first.end + 500);

  // Stopped by the team: the call never finished, and the waterfall says so in words, also once
  // the run has settled (the runner's own late report of the aborted call must not turn it into
  // an ordinary error).
  await mutate(request, "session.abort", { sessionId: id });
  await expect(row(page, spanId)).toHaveAttribute("data-status", "interrupted", { timeout: 30_000 });
  await waitUntilIdle(request, id);
  await page.waitForTimeout(2_000);
  await expect(row(page, spanId)).toHaveAttribute("data-status", "interrupted");
  await expect(row(page, spanId).getByTestId("span-status")).toHaveText("interrupted");
  // It is no longer drawn to "now": it stopped growing.
  await expect(row(page, spanId).getByTestId("span-bar")).not.toHaveAttribute("data-running", "");
  const stopped = await barOf(page, spanId);
  await page.waitForTimeout(1_000);
  expect((await barOf(page, spanId)).end).toBe(stopped.end);
  // "Next failure" goes to it.
  await page.getByRole("button", { name: /Next failure/ }).click();
  await expect(page.getByTestId("span-panel")).toHaveAttribute("data-span-id", spanId);
  await expect(page.getByTestId("span-panel-status")).toHaveText("interrupted");
  await expect(page.getByTestId("trace-failures")).not.toHaveText("0");
});

test("a share link's page shows the tree's waterfall and links nowhere in the app", async ({ request, browser }) => {
  test.setTimeout(150_000);
  const id = await startSession(request, "Two helpers at once. demo:parallel", `Traces shared ${unique()}`);
  await waitForRun(request, id, 90_000);
  const { path } = await mutate<{ path: string }>(request, "share.create", { sessionId: id });

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const reader = await context.newPage();
  const errors = pageErrors(reader);
  await reader.goto(path);
  const waterfall = reader.getByTestId("waterfall");
  await expect(waterfall.locator("[data-testid=span-row][data-kind=subagent]")).toHaveCount(2);
  await expect(waterfall.locator("[data-testid=span-row][data-kind=tool]").first()).toBeVisible();
  await expect(reader.getByTestId("trace-summary")).toBeVisible();
  await expect(reader.getByTestId("trace-session")).toHaveCount(3);

  // A sub-agent span opens without a link to its session; its input is loaded through the link.
  await waterfall.locator("[data-testid=span-row][data-kind=subagent]").first().click();
  const panel = reader.getByTestId("span-panel");
  await expect(panel).toBeVisible();
  await expect(panel.getByText("Loading input and output…")).toHaveCount(0);
  await expect(panel.getByTestId("span-child-link")).toHaveCount(0);
  await reader.getByTestId("trace-breakdowns").locator("summary").click();
  await expect(reader.locator('a[href*="/sessions/"], a[href^="/runners"], a[href^="/team"], a[href="/"]')).toHaveCount(0);
  await saveScreenshot(reader, "traces-shared");
  expect(errors).toEqual([]);
  await context.close();
});
