import { expect, test, type Page } from "@playwright/test";
import { embeddedRunner, mutate, saveScreenshot, startSession, unique } from "./helpers";

// Keyboard only: every step a person could take without a mouse.

function palette(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Command palette" });
  return {
    dialog,
    input: dialog.getByRole("combobox"),
    option: (name: string) => dialog.getByRole("option", { name, exact: true }),
    selected: dialog.getByRole("option", { selected: true }),
  };
}

/** The dashboard, once its scripts run (its list is pushed live from then on). */
async function openDashboard(page: Page) {
  await page.goto("/");
  await expect(page.getByTestId("connection")).toHaveAttribute("data-state", "live");
}

/** Opens the palette, types, and waits until the result named `expected` is the one Enter opens. */
async function jump(page: Page, typed: string, expected: string) {
  const { input, selected } = palette(page);
  await page.keyboard.press("ControlOrMeta+k");
  await expect(input).toBeFocused();
  await page.keyboard.type(typed);
  await expect(selected).toHaveAccessibleName(expected);
  await page.keyboard.press("Enter");
}

test("Ctrl+K jumps to a page, a runner or a session by name; Esc gives the focus back", async ({ page, request }) => {
  const title = `palette ${unique()}`;
  const sessionId = await startSession(request, "Say something. demo:text", title);
  const { runnerId } = await embeddedRunner(request);
  const { dialog, input, option, selected } = palette(page);
  await openDashboard(page);
  const searchBox = page.getByRole("main").getByRole("searchbox");
  await page.keyboard.press("/");
  await expect(searchBox).toBeFocused();

  // Nothing typed: every page an admin may open, then the recent sessions.
  await page.keyboard.press("ControlOrMeta+k");
  await expect(input).toBeFocused();
  for (const name of ["Sessions", "Runners", "Shared links", "Search", "Usage", "Archive", "Team", title]) {
    await expect(option(name)).toBeVisible();
  }
  await expect(selected).toHaveAccessibleName("Sessions");
  await page.keyboard.press("ArrowDown");
  await expect(selected).toHaveAccessibleName("Runners");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await expect(dialog.getByRole("option").last()).toHaveAttribute("aria-selected", "true");
  await saveScreenshot(page, "palette");
  // The focus stays inside while it is open, and returns to the search box when it closes.
  await page.keyboard.press("Tab");
  await expect(input).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(searchBox).toBeFocused();

  // A runner leads to the dashboard filtered by it, even from the dashboard itself.
  await jump(page, "embedded", "embedded");
  await expect(page).toHaveURL(`/?runner=${runnerId}`);
  await expect(page.getByLabel("Filter by runner")).toHaveValue(runnerId);
  await expect(dialog).toHaveCount(0);

  await jump(page, "shared li", "Shared links");
  await expect(page).toHaveURL("/shares");
  // What no name matches is searched for in everything the sessions hold.
  await jump(page, "zzqxnothing", "Search everything for “zzqxnothing”");
  await expect(page).toHaveURL("/search?q=zzqxnothing");
  await expect(page.getByTestId("search-empty")).toBeVisible();
  await jump(page, title, title);
  await expect(page).toHaveURL(`/sessions/${sessionId}`);
  await expect(page.getByTestId("session-title")).toHaveText(title);

  // A share link's page is not the app: no palette there.
  const { path } = await mutate<{ path: string }>(request, "share.create", { sessionId });
  await page.goto(path);
  await expect(page.getByText(title).first()).toBeVisible();
  await expect(page.getByRole("button", { name: /Jump to/ })).toHaveCount(0);
  await page.keyboard.press("ControlOrMeta+k");
  await expect(dialog).toHaveCount(0);
});

test("a viewer's palette lists the pages a viewer may open, without the admin ones", async ({ browser, request }) => {
  const { token } = await mutate<{ token: string }>(request, "team.invite", { role: "viewer" });
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const signUp = await context.request.post("/api/auth/sign-up/email", {
    data: { name: "Vera Viewer", email: `vera-${unique()}@flightdeck.test`, password: "viewer password", inviteToken: token },
  });
  expect(signUp.ok()).toBe(true);
  const page = await context.newPage();
  const { input, option } = palette(page);
  await openDashboard(page);
  await expect(page.getByTestId("account-name")).toContainText("(viewer)");
  await page.keyboard.press("ControlOrMeta+k");
  await expect(input).toBeFocused();
  for (const name of ["Sessions", "Runners", "Shared links", "Search", "Usage"]) await expect(option(name)).toBeVisible();
  await expect(option("Archive")).toHaveCount(0);
  await expect(option("Team")).toHaveCount(0);
  await page.keyboard.type("Team");
  await expect(page.getByRole("dialog").getByRole("status")).not.toContainText("Searching");
  await expect(option("Team")).toHaveCount(0);
  await context.close();
});

test("/ focuses the dashboard's search box, and is plain text inside any field", async ({ page }) => {
  await openDashboard(page);
  const searchBox = page.getByRole("main").getByRole("searchbox");
  await page.keyboard.press("/");
  await expect(searchBox).toBeFocused();
  await page.keyboard.type("a/b");
  await expect(searchBox).toHaveValue("a/b");
  // The search lands in the address and the box keeps the focus meanwhile.
  await expect(page).toHaveURL("/?q=a%2Fb");
  await expect(searchBox).toBeFocused();

  await page.getByRole("button", { name: "New session" }).press("Enter");
  const title = page.getByRole("form", { name: "New session" }).getByLabel("Title (optional)");
  await title.press("/");
  await expect(title).toHaveValue("/");
  await expect(title).toBeFocused();
  await expect(searchBox).toHaveValue("a/b");
});
