import { expect, test } from "@playwright/test";
import { countPrefetches, countRequests, embeddedRunner, mutate, saveScreenshot, startSession, unique, waitUntilIdle, watchChanges } from "./helpers";

test("creates a session from the dashboard, sends the first prompt and streams the answer in", async ({ page, request }) => {
  test.setTimeout(150_000);
  const title = `Streaming ${unique()}`;
  await embeddedRunner(request);
  await page.goto("/");
  await page.getByRole("button", { name: "New session" }).click();
  const form = page.getByRole("form", { name: "New session" });
  await expect(form.getByLabel("Runner")).toHaveValue(/.+/);
  await expect(form.getByLabel("Directory")).toHaveValue(/workspace/);
  await expect(form.getByLabel("Agent").locator("option")).not.toHaveCount(1); // the runner's agents loaded
  await expect(form.getByLabel("Model").locator("option", { hasText: "Demo model" })).toHaveCount(1);
  await expect(form.getByLabel("Model").locator("option", { hasText: "Demo model" })).toBeEnabled();
  // Models the runner holds no credentials for are listed marked, and cannot be picked.
  const unreachable = form.getByLabel("Model").locator("option[data-not-connected]").first();
  await expect(unreachable).toBeDisabled();
  await expect(unreachable).toContainText("(not connected: no credentials for");
  await form.getByLabel("Agent").selectOption("build");
  await form.getByLabel("Model").selectOption("flightdeck-demo/demo");
  await form.getByLabel("Title (optional)").fill(title);
  await form.getByLabel("First prompt").fill("Tell me something. demo:text");
  await form.getByRole("button", { name: "Start session" }).click();

  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("user-prompt")).toContainText("Tell me something. demo:text");
  await expect(page.getByTestId("assistant-text")).toHaveText(
    "This is the Demo model streaming plain text. Every word arrives as its own delta, so you can watch the answer grow live. Nothing here came from a real language model.",
  );
  await expect(page.getByTestId("session-header-status")).toHaveAttribute("data-status", "idle");

  // A next prompt from the page, watched from its first delta: sample the newest answer on
  // every frame until it is complete; it must have grown in many steps, not arrived at once.
  const last = 600;
  await page.getByLabel("Prompt text").fill(`Count for me. demo:long=${last}`);
  const sampling = page.evaluate(
    (end) =>
      new Promise<number[]>((resolve) => {
        const seen = new Set<number>();
        const tick = () => {
          const answers = document.querySelectorAll("[data-testid=assistant-text]");
          const text = answers.length > 1 ? (answers[answers.length - 1]!.textContent ?? "") : "";
          if (text) seen.add(text.length);
          if (text.trim().endsWith(` ${end}`)) resolve([...seen]);
          else requestAnimationFrame(tick);
        };
        tick();
      }),
    last,
  );
  await page.getByRole("button", { name: "Send" }).click();
  expect((await sampling).length).toBeGreaterThan(3);
  await expect(page.getByTestId("session-header-status")).toHaveAttribute("data-status", "idle", { timeout: 60_000 });
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("step-usage").first()).toContainText("in");
  await expect(page.getByTestId("usage-meter")).toContainText("Context");
});

test("shows sessions started elsewhere live, with status changes, filters and tree totals", async ({ page, request, baseURL }) => {
  const tag = unique();
  const prefetches = countPrefetches(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Sessions" })).toBeVisible();
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
  await expect(page.getByText("Loading sessions…")).toHaveCount(0);

  // Pushed, not polled: over a stretch of seconds the page reads its list again only when the
  // server says sessions changed. Usually nothing does here; an archive sync of an earlier
  // test's session may, so what another subscriber was told is the allowance (one more for a
  // notice at the edge of the stretch reaching the two of them on either side of it).
  const changes = await watchChanges(baseURL!);
  const listReads = countRequests(page, "session.list");
  await page.waitForTimeout(8_000);
  changes.stop();
  expect(listReads.count(), `list reads while ${changes.count()} change notice(s) came`).toBeLessThanOrEqual(changes.count() + 1);
  // Its links (every session row, the navigation) are not rendered ahead on the server: every
  // page here is dynamic, so each prefetch would be a whole render competing with this one.
  expect(prefetches.urls).toEqual([]);

  // Started by someone else while the dashboard is open: it appears without a reload...
  const hanging = await startSession(request, "Wait for it. demo:hang", `Elsewhere ${tag} hang`);
  const row = page.locator(`[data-testid=session-row][data-session-id="${hanging}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("status-badge")).toHaveAttribute("data-status", "running");
  // ...and its status follows the runner.
  await mutate(request, "session.abort", { sessionId: hanging });
  await expect(row.getByTestId("status-badge")).not.toHaveAttribute("data-status", "running");

  const delegated = await startSession(request, "Delegate. demo:task", `Elsewhere ${tag} task`);
  await waitUntilIdle(request, delegated);
  const treeRow = page.locator(`[data-testid=session-row][data-session-id="${delegated}"]`);
  await expect(treeRow.getByTestId("subagent-count")).toHaveText("1");
  await expect(treeRow.getByTestId("status-badge")).toHaveAttribute("data-status", "idle");
  await expect(treeRow).not.toContainText("0 / 0");

  await page.getByLabel("Search sessions", { exact: true }).fill(`Elsewhere ${tag}`);
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  await expect(page).toHaveURL(/q=Elsewhere/);
  await page.getByLabel("Filter by status").selectOption("running");
  await expect(page.getByText("No sessions match these filters")).toBeVisible();
  await page.getByLabel("Filter by status").selectOption("idle");
  await expect(treeRow).toBeVisible();
  await expect(page.locator("[data-testid=session-row] [data-testid=status-badge]:not([data-status=idle])")).toHaveCount(0);
  await page.getByLabel("Filter by status").selectOption("");
  await page.getByLabel("Filter by runner").selectOption({ label: "embedded" });
  await expect(page).toHaveURL(/runner=[0-9a-f-]{36}/);
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  await page.getByLabel("Filter by runner").selectOption("");
  await page.getByLabel("Search sessions", { exact: true }).fill("");
  await expect(page).not.toHaveURL(/[?&](q|status|runner)=/);
  await expect(page.getByTestId("session-row").nth(2)).toBeVisible();
  await saveScreenshot(page, "dashboard");

  await treeRow.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${delegated}$`));
});
