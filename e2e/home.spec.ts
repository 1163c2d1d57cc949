import { expect, test } from "@playwright/test";
import { startSession, unique, waitUntilIdle } from "./helpers";

test("home page shows the sessions dashboard", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle("Flightdeck");
  await expect(page.getByRole("heading", { name: "Sessions" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runners" })).toBeVisible();
  await expect(page.getByTestId("status-line")).toContainText("Database: PGlite (embedded) connected");
  // Other tests add sessions to the same server: the empty state is checked through a search.
  await page.getByLabel("Search sessions", { exact: true }).fill("no session is called this");
  await expect(page.getByText("No sessions match these filters")).toBeVisible();
});

test("health endpoint reports the database and version as JSON", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", database: { kind: "pglite", ok: true } });
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});

test("runners page shows the embedded runner's health, version and sessions", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runners" }).click();
  await expect(page.getByRole("heading", { name: "Runners" })).toBeVisible();
  const runner = page.getByTestId("runner").filter({ hasText: "embedded" });
  await expect(runner.getByText("healthy")).toBeVisible();
  await expect(runner.getByText("opencode version")).toBeVisible();
  await expect(runner.getByText(/^\d+\.\d+\.\d+$/)).toBeVisible();
  await expect(runner.getByRole("link", { name: /^\d+ session trees? on it \(sub-agents count in their tree\)/ })).toBeVisible();
});

test("adding a remote runner that does not answer says why and adds nothing", async ({ page }) => {
  await page.goto("/runners");
  const form = page.getByRole("form", { name: "Add a remote runner" });
  await form.getByLabel("Name", { exact: true }).fill("nowhere");
  await form.getByLabel("URL").fill("http://127.0.0.1:45999");
  await form.getByRole("button", { name: "Add runner" }).click();
  await expect(form.getByRole("alert")).toContainText("cannot be added: nothing is listening at that address (connection refused)");
  await page.reload();
  await expect(page.getByTestId("runner").filter({ hasText: "nowhere" })).toHaveCount(0);
});

test.describe("a reader in another time zone", () => {
  // Half an hour off UTC, where the server renders: any time printed in the server's zone differs.
  test.use({ timezoneId: "Asia/Kolkata" });

  test("pages hydrate without errors and show times in the reader's zone", async ({ page, request }) => {
    const id = await startSession(request, "What time is it? demo:text", `Time zone ${unique()}`);
    await waitUntilIdle(request, id);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
    for (const path of ["/", `/sessions/${id}`, "/runners", `/search?q=${encodeURIComponent("What time")}`]) {
      await page.goto(path);
      // Hydrated: every time on the page has left the server's UTC for the reader's zone.
      await expect(page.locator("time").first()).toBeVisible();
      await expect(page.locator("time", { hasText: /UTC$/ })).toHaveCount(0);
    }
    expect(errors).toEqual([]);
    // The live page: the prompt's time, in the reader's zone once hydrated (the server's says UTC).
    await page.goto(`/sessions/${id}`);
    const stamp = page.getByTestId("user-prompt").first().locator("time");
    const iso = await stamp.getAttribute("datetime");
    const local = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "Asia/Kolkata" }).format(new Date(iso!));
    await expect(stamp).toHaveText(local);
  });
});
