import { expect, test } from "@playwright/test";
import { embeddedRunner, mutate, query, startSession, unique, waitForRun } from "./helpers";

test("runner presence and archive state read the same on the dashboard and the session page; the live page's archive state moves", async ({ page, request }) => {
  test.setTimeout(150_000);
  const title = `Words ${unique()}`;
  const id = await startSession(request, "Delegate once. demo:task", title);
  await waitForRun(request, id, 90_000);

  await page.goto(`/sessions/${id}`);
  const strip = page.getByTestId("archive-strip").getByTestId("archive-state");
  await expect(strip).toContainText(/^Archive: (not yet|syncing|synced)/);
  // A sync while the page is open shows without a reload.
  await mutate(request, "archive.sync", { sessionId: id });
  await expect(strip).toHaveAttribute("data-state", "archived");
  await expect(strip).toContainText("Archive: synced · last synced");
  await expect(page.getByText("Archived", { exact: true })).toHaveCount(0);

  await page.goto("/");
  const row = page.locator(`[data-testid=session-row][data-session-id="${id}"]`);
  await expect(row.getByTestId("archive-state")).toHaveText("Archive: synced");
  await expect(row.getByTestId("status-badge")).toHaveText("Idle");
  // No status reads "Archived" any more; sessions gone from their runner have their own filter.
  expect(await page.getByLabel("Filter by status").locator("option").allTextContents()).not.toContain("Archived");
  await expect(page.getByLabel("Filter by status").locator("option", { hasText: "Gone from runner" })).toHaveCount(1);

  // The Runners page counts trees as the dashboard lists them: the sub-agent is not one more.
  const { runnerId } = await embeddedRunner(request);
  const listed = async () => (await query<{ items: unknown[] }>(request, "session.list", { runnerId, limit: 200 })).items.length;
  await page.goto("/runners");
  const count = page.locator(`[data-testid=runner][data-runner-id="${runnerId}"]`).getByTestId("runner-tree-count");
  await expect(count).toContainText(/^\d+ session trees?$/);
  const trees = Number(/\d+/.exec((await count.textContent())!)![0]);
  expect(trees).toBe(await listed());
  await page.goto(`/?runner=${runnerId}`);
  await expect(page.getByTestId("session-row")).toHaveCount(trees);
});
