import { expect, type Locator, type Page } from "@playwright/test";
import { test } from "@playwright/test";
import { unique } from "./helpers";

/** Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, key: "Tab" | "Shift+Tab" = "Tab") {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${target}`);
}

test("keyboard only: the shortcut list, a new session, send, abort, answer a permission, move through the list", async ({ page }) => {
  await page.goto("/");
  // The first Tab offers to skip the header's links; taken, the next Tab is in the page's content.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main")))).toBe(true);
  await page.keyboard.press("Escape");

  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Abort the running turn");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  // The new-session form opens from its button and Esc closes it.
  const newSession = page.getByRole("button", { name: "New session" });
  await tabTo(page, newSession);
  await page.keyboard.press("Enter");
  const form = page.getByRole("form", { name: "New session" });
  await expect(form).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(form).toHaveCount(0);
  await page.keyboard.press("Enter");
  await expect(form).toBeVisible();

  const title = `Keyboard ${unique()}`;
  await tabTo(page, form.getByLabel("Title (optional)"));
  await page.keyboard.type(title);
  await tabTo(page, form.getByLabel("First prompt"));
  await page.keyboard.type("Wait forever. demo:hang");
  await tabTo(page, form.getByRole("button", { name: "Start session" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}$/);

  // The session page opens with the prompt box in focus; Esc aborts the run that hangs.
  const box = page.getByLabel("Prompt text");
  await expect(box).toBeFocused();
  await expect(page.getByTestId("assistant-text")).toContainText("going silent");
  // Esc aborts only while the page has the run as busy, which its Abort button shows: a person
  // presses it then, not at the answer's first words (on a loaded machine, an Esc right after them
  // once did nothing).
  await expect(page.getByRole("button", { name: "Abort" })).toBeEnabled();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("turn-aborted")).toBeVisible();
  await expect(page.getByRole("button", { name: "Abort" })).toHaveCount(0);

  // Ctrl+Enter sends; the permission it asks is answered from the keyboard.
  await expect(box).toBeFocused();
  await page.keyboard.type("Run the command. demo:permission");
  await page.keyboard.press("Control+Enter");
  const card = page.getByTestId("permission-request");
  await expect(card).toContainText("echo flightdeck-permission-granted");
  await tabTo(page, card.getByRole("button", { name: "Allow once" }), "Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("assistant-text").last()).toContainText("Thanks. The approved command printed: flightdeck-permission-granted");

  // j and k move through the dashboard's sessions; Enter opens the one in focus.
  await page.goto("/");
  const firstRow = page.getByTestId("session-row").first().locator("[data-row-link]");
  await expect(firstRow).toContainText(title);
  await page.keyboard.press("j");
  await expect(firstRow).toBeFocused();
  await page.keyboard.press("k");
  await expect(firstRow).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("session-title")).toContainText(title);
});
