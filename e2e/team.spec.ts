import { expect, test, type Page } from "@playwright/test";
import { saveScreenshot, startSession, unique, waitForRun } from "./helpers";

async function makeInvite(page: Page, role: "viewer" | "operator" | "admin"): Promise<string> {
  await page.goto("/team");
  const form = page.getByRole("form", { name: "Invite someone" });
  await form.getByLabel("Role of the invite").selectOption(role);
  await form.getByRole("button", { name: "Make invite link" }).click();
  return page.getByLabel("Invite link").inputValue();
}

test("an invited viewer reads but cannot prompt, until an admin makes them operator; disabling ends their sign-in", async ({
  page,
  browser,
  request,
}) => {
  const word = `teamword${unique()}`;
  const title = `team ${unique()}`;
  const sessionId = await startSession(request, `Say something about ${word}. demo:text`, title);
  await waitForRun(request, sessionId, 60_000);

  const link = await makeInvite(page, "viewer");
  expect(link).toMatch(/\/invite\?token=[\w-]{40,}$/);
  const email = `viv-${unique()}@flightdeck.test`;
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await context.newPage();
  await viewer.goto(link);
  await expect(viewer.getByText("Your role: viewer")).toBeVisible();
  await viewer.getByLabel("Name").fill("Viv Viewer");
  await viewer.getByLabel("Email").fill(email);
  await viewer.getByLabel("Password", { exact: true }).fill("viewer password");
  await viewer.getByLabel("Repeat the password").fill("viewer password");
  await viewer.getByRole("button", { name: "Create account" }).click();
  await expect(viewer.getByRole("heading", { name: "Sessions" })).toBeVisible();
  // The admin's Team page, left open, shows them joining without a reload.
  await expect(page.getByRole("list", { name: "Audit log" })).toContainText("Viv Viewer", { timeout: 20_000 });
  await expect(viewer.getByRole("button", { name: "New session" })).toHaveCount(0);
  await expect(viewer.getByTestId("session-row").first()).toBeVisible();
  await expect(viewer.getByTestId("rename-session")).toHaveCount(0);
  await expect(viewer.getByTestId("delete-session")).toHaveCount(0);
  await expect(viewer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Team" })).toHaveCount(0);

  await viewer.goto(`/sessions/${sessionId}`);
  await expect(viewer.getByTestId("assistant-text").first()).toBeVisible();
  await expect(viewer.getByTestId("read-only-note")).toContainText("Prompting needs the operator role");
  await expect(viewer.getByRole("button", { name: "Send" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Sync archive now" })).toHaveCount(0);
  await expect(viewer.getByTestId("rename-session")).toHaveCount(0);
  await expect(viewer.getByTestId("delete-session")).toHaveCount(0);
  await saveScreenshot(viewer, "viewer-session");
  const refused = await viewer.request.post("/api/trpc/session.prompt", { data: { json: { sessionId, text: "sneaky demo:text" } } });
  expect(refused.status()).toBe(403);
  expect((await viewer.request.get("/api/trpc/team.members")).status()).toBe(403);
  // Runners: theirs to see, an admin's to add.
  await viewer.goto("/runners");
  await expect(viewer.getByTestId("add-runner-admins")).toBeVisible();
  await expect(viewer.getByRole("form", { name: "Add a remote runner" })).toHaveCount(0);
  // A viewer reads every tree, so searches every tree.
  await viewer.goto(`/search?q=${word}`);
  await expect(viewer.getByTestId("search-tree")).toHaveAttribute("data-root-id", sessionId);
  // The invite is spent.
  await context.clearCookies();
  const reuse = await context.newPage();
  await reuse.goto(link);
  await expect(reuse.getByRole("main").getByRole("alert")).toContainText("already used");
  await reuse.close();
  await viewer.goto("/sign-in");
  await viewer.getByLabel("Email").fill(email);
  await viewer.getByLabel("Password").fill("viewer password");
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer.getByRole("heading", { name: "Sessions" })).toBeVisible();

  // The admin makes them operator: the same page now lets them prompt.
  await page.goto("/team");
  await page.getByLabel(`Role of ${email}`).selectOption("operator");
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("operator");
  // An admin watching the session's team activity sees the prompt come in, without a reload.
  const watching = await page.context().newPage();
  await watching.goto(`/sessions/${sessionId}`);
  await watching.getByTestId("team-activity").locator("summary").click();
  await expect(watching.getByTestId("team-activity")).not.toContainText("Viv Viewer");
  await viewer.goto(`/sessions/${sessionId}`);
  await viewer.getByLabel("Prompt text").fill("Once more. demo:text");
  await viewer.getByRole("button", { name: "Send" }).click();
  await expect(viewer.getByTestId("user-prompt").last()).toContainText("Once more. demo:text");
  await waitForRun(request, sessionId, 60_000);
  await expect(watching.getByTestId("team-activity")).toContainText("Viv Viewer", { timeout: 15_000 });
  await watching.close();

  // Made viewer again while their page is open: the prompt the server refuses takes the prompt
  // box away, saying why, without a reload.
  await page.getByLabel(`Role of ${email}`).selectOption("viewer");
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("viewer");
  await viewer.getByLabel("Prompt text").fill("Not any more. demo:text");
  await viewer.getByRole("button", { name: "Send" }).click();
  await expect(viewer.getByTestId("read-only-note")).toContainText("Prompting needs the operator role");
  await expect(viewer.getByRole("button", { name: "Send" })).toHaveCount(0);

  // The session page says who did what; the admin's audit page has the team changes too.
  await page.goto(`/sessions/${sessionId}`);
  await page.getByTestId("team-activity").locator("summary").click();
  const activity = page.getByTestId("team-activity");
  await expect(activity).toContainText("Viv Viewer");
  await expect(activity).toContainText("prompted");
  await expect(activity).toContainText("Ada Admin");
  // An invite made and revoked unused.
  await makeInvite(page, "operator");
  const open = page.getByRole("button", { name: "Revoke" });
  await expect(open.first()).toBeVisible();
  const before = await open.count();
  await open.first().click();
  await expect(open).toHaveCount(before - 1);
  await page.goto("/team");
  const audit = page.getByRole("list", { name: "Audit log" });
  await expect(audit).toContainText("revoked an invite link");
  // Who used an invite: the new member joined.
  await expect(audit.locator("li").filter({ hasText: "joined the team" }).filter({ hasText: "Viv Viewer" })).toHaveCount(1);
  await expect(audit).toContainText("changed a role");
  await expect(audit).toContainText(email);
  await expect(audit).toContainText("made an invite link");
  // A session's line names it by its title.
  await expect(audit.getByRole("link", { name: `“${title}”` }).first()).toHaveAttribute("href", `/sessions/${sessionId}`);
  await saveScreenshot(page, "team");

  // Disabling ends their sign-in at once: their open page says so, and offers to sign in again.
  await viewer.goto(`/sessions/${sessionId}`);
  await expect(viewer.getByTestId("connection")).toHaveAttribute("data-state", "live");
  await page.locator(`[data-member="${email}"]`).getByRole("button", { name: "Disable" }).click();
  await page.locator(`[data-member="${email}"]`).getByRole("button", { name: `Disable ${email}: signs them out everywhere` }).click();
  await expect(page.locator(`[data-member="${email}"]`)).toContainText("Disabled");
  expect((await viewer.request.get("/api/trpc/session.list")).status()).toBe(401);
  await expect(viewer.getByTestId("connection")).toHaveAttribute("data-state", "signed-out");
  await expect(viewer.getByTestId("connection").getByRole("link", { name: "Sign in again" })).toHaveAttribute("href", `/sign-in?next=${encodeURIComponent(`/sessions/${sessionId}`)}`);
  await viewer.goto("/");
  await expect(viewer).toHaveURL(/\/sign-in\?next=%2F$/);
  await viewer.getByLabel("Email").fill(email);
  await viewer.getByLabel("Password").fill("viewer password");
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer.getByRole("main").getByRole("alert")).toContainText("disabled");
  await context.close();
});

test("the dashboard shows who started each session", async ({ page, request }) => {
  const title = `started-by ${unique()}`;
  await startSession(request, "demo:text", title);
  await page.goto("/");
  await page.getByLabel("Search sessions", { exact: true }).fill(title);
  await expect(page.getByRole("row").filter({ hasText: title }).getByTestId("started-by")).toContainText("by Ada Admin");
});

test("an admin changes their password and signs in with the new one only", async ({ page: adminPage, browser }) => {
  // A second admin of their own, so the shared admin's password stays as the other tests expect.
  const link = await makeInvite(adminPage, "admin");
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const email = `pat-${unique()}@flightdeck.test`;
  await page.goto(link);
  await page.getByLabel("Name").fill("Pat");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("first password");
  await page.getByLabel("Repeat the password").fill("first password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("account-name")).toContainText("Pat (admin)");
  await page.goto("/account");
  // A wrong current password is named as such.
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password", { exact: true }).fill("second password");
  await page.getByLabel("Repeat the new password").fill("second password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("The current password is wrong; the password was not changed.");
  await page.getByLabel("Current password").fill("first password");
  await page.getByLabel("New password", { exact: true }).fill("second password");
  await page.getByLabel("Repeat the new password").fill("second password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Password changed");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("first password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await page.getByLabel("Password").fill("second password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("account-name")).toContainText("Pat (admin)");
  await context.close();
});
