import { expect, test } from "@playwright/test";
import { saveScreenshot, startSession, unique, waitForRun } from "./helpers";

test("rename a session on its page and on the dashboard; delete it from the dashboard after saying what goes", async ({ page, request }) => {
  test.setTimeout(150_000);
  const id = await startSession(request, "Delegate once. demo:task", `Before ${unique()}`);
  await waitForRun(request, id, 90_000);

  await page.goto(`/sessions/${id}`);
  const heading = page.getByTestId("session-title");
  await page.getByTestId("rename-session").click();
  const box = page.getByLabel("Session title");
  await box.fill("   ");
  await box.press("Enter");
  await expect(page.getByTestId("rename-problem")).toHaveText("The title is empty");
  await box.fill("x".repeat(201));
  await box.press("Enter");
  await expect(page.getByTestId("rename-problem")).toHaveText("A title has at most 200 characters");
  // Esc leaves the title as it was.
  await box.press("Escape");
  await expect(heading).toContainText("Before");

  const renamed = `Renamed ${unique()}`;
  await page.getByTestId("rename-session").click();
  await box.fill(renamed);
  await box.press("Enter");
  await expect(heading).toHaveText(renamed);
  await expect(page).toHaveTitle(new RegExp(`${renamed} · Flightdeck`));

  await page.goto("/");
  const row = page.locator(`[data-testid=session-row][data-session-id="${id}"]`);
  await expect(row).toContainText(renamed);
  const again = `Again ${unique()}`;
  await row.getByTestId("rename-session").click();
  await row.getByLabel("Session title").fill(again);
  await row.getByLabel("Session title").press("Enter");
  await expect(row.getByRole("link", { name: again })).toBeVisible();

  await row.getByTestId("delete-session").click();
  const confirm = page.getByTestId("delete-confirm");
  await expect(confirm).toContainText(`Delete “${again}” from the runner “embedded”?`);
  await expect(confirm).toContainText("Its 1 sub-agent session goes with it.");
  await expect(confirm).toContainText("The archive keeps the whole tree, read-only");
  await saveScreenshot(page, "delete-confirm");
  // Enter on the dialog as it opens keeps the session: focus starts on Cancel.
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(confirm).toHaveCount(0);
  await expect(row).toHaveCount(1);
  await row.getByTestId("delete-session").click();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);

  // Still findable as gone from its runner, its archive kept; its page is the archive.
  await page.getByLabel("Filter by status").selectOption("gone");
  await expect(row.getByTestId("status-badge")).toHaveText("Gone from runner");
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("archived-banner")).toContainText("deleted from its runner");
  await expect(page.getByTestId("session-title")).toHaveText(again);
  await expect(page.getByTestId("delete-session")).toHaveCount(0);
});

test("delete on a session's own page: the page becomes its archive at once, and Rename opens ready to type again", async ({ page, request }) => {
  const id = await startSession(request, "Say hello. demo:text", `Own page ${unique()}`);
  await waitForRun(request, id, 60_000);
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("assistant-text").last()).toBeVisible();

  // Renamed twice in a row: the field takes the keyboard each time.
  for (const title of [`First ${unique()}`, `Second ${unique()}`]) {
    await page.getByTestId("rename-session").click();
    await expect(page.getByLabel("Session title")).toBeFocused();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(title);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("session-title")).toHaveText(title);
  }

  // A second tab on the same session, as a teammate would have it open.
  const other = await page.context().newPage();
  await other.goto(`/sessions/${id}`);
  await expect(other.getByTestId("assistant-text").last()).toBeVisible();

  // Whether either page ever reads as an empty conversation on the way to the archive.
  const watchEmpty = (p: typeof page) =>
    p.evaluate(() => {
      const seen = () => document.body.innerText.includes("No messages yet");
      (window as unknown as { sawEmpty: boolean }).sawEmpty = seen();
      new MutationObserver(() => {
        if (seen()) (window as unknown as { sawEmpty: boolean }).sawEmpty = true;
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  await watchEmpty(page);
  await watchEmpty(other);
  await page.getByTestId("delete-session").click();
  await page.getByTestId("delete-confirm").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("archived-banner")).toContainText("deleted from its runner", { timeout: 15_000 });
  await expect(page).toHaveTitle(/^Gone from runner · Second .+ · Flightdeck$/);
  await expect(page.getByTestId("assistant-text").last()).toBeVisible();
  await expect(page.getByLabel("Prompt text")).toHaveCount(0);
  await expect(page.getByTestId("timeline").getByRole("button", { name: "Restore to here" })).toHaveCount(0);
  // The other tab becomes the archive too, its conversation kept, never an empty one.
  await expect(other.getByTestId("archived-banner")).toContainText("deleted from its runner", { timeout: 15_000 });
  await expect(other.getByTestId("assistant-text").last()).toBeVisible();
  await expect(other.getByText("No messages yet")).toHaveCount(0);
  expect(await other.evaluate(() => (window as unknown as { sawEmpty: boolean }).sawEmpty)).toBe(false);
  expect(await page.evaluate(() => (window as unknown as { sawEmpty?: boolean }).sawEmpty)).not.toBe(true);
  await other.close();
});
