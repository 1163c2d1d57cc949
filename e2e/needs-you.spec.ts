import { expect, test } from "@playwright/test";
import { startSession, unique, waitUntilIdle } from "./helpers";

// Notifications are granted to the page, and every one it shows is recorded on the page as it is
// constructed (the real browser API underneath).
test.use({ permissions: ["notifications"] });

type Shown = { title: string; body?: string };

test("a permission request in another session is pinned on the dashboard, counted, notified, and answered there", async ({ page, request }) => {
  await page.addInitScript(() => {
    const shown: { title: string; body?: string }[] = [];
    (window as unknown as { shownNotices: typeof shown }).shownNotices = shown;
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body });
      }
    }
    Object.defineProperty(window, "Notification", { value: Recorded, configurable: true });
  });
  await page.goto("/");
  const toggle = page.getByTestId("notification-toggle");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(page).not.toHaveTitle(/Waiting/);

  // Session A is started elsewhere (another tab, a teammate) while the dashboard stays open.
  const title = `Needs you ${unique()}`;
  const id = await startSession(request, "Run the command. demo:permission", title);
  const item = page.getByTestId("needs-you-item").filter({ hasText: title });
  await expect(item).toContainText("echo flightdeck-permission-granted");
  await expect(page.getByTestId("needs-you")).toContainText(/Needs you \(\d+\)/);
  await expect(page.getByTestId("needs-you-count")).toContainText(/\d+ waiting for you/);
  await expect(page).toHaveTitle(/^\(\d+\) Waiting · /);
  await expect(page.locator('link[rel~="icon"]').first()).toHaveAttribute("href", /^data:image\/svg\+xml/);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { shownNotices: Shown[] }).shownNotices))
    .toContainEqual({ title: "Permission needed", body: expect.stringContaining(title) });

  // Answered from the dashboard, the run goes on and the request leaves the list.
  await item.getByRole("button", { name: "Allow once" }).click();
  await expect(item).toHaveCount(0);
  await waitUntilIdle(request, id);
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("assistant-text").last()).toContainText("Thanks. The approved command printed: flightdeck-permission-granted");
  await expect(page.getByTestId("request-answer")).toContainText("Allowed once by Ada Admin");
  // The session's tab says its state.
  await expect(page).toHaveTitle(new RegExp(`Idle · ${title} · Flightdeck$`));
});
