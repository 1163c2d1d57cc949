import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { admin, adminStatePath, dataDir, printedSetupLink } from "./team-fixtures";

// Runs first (its own Playwright project): every other test signs in as the admin made here.

test("a fresh instance serves only the setup page until the printed link creates the first admin", async ({ page, request, baseURL }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("needs the link you were given");
  await page.goto("/runners");
  await expect(page).toHaveURL(/\/setup$/);
  expect((await request.get("/api/trpc/session.list")).status()).toBe(401);
  // Nobody can claim the instance without the link.
  const claim = await request.post("/api/auth/sign-up/email", { data: { name: "Mallory", email: "m@evil.test", password: "password123" } });
  expect(claim.status()).toBe(403);
  const forged = await page.goto("/setup?token=not-the-printed-one");
  expect(forged?.status()).toBe(200);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This link is not valid");

  const link = printedSetupLink();
  expect(new URL(link).port).toBe(new URL(baseURL!).port);
  await page.goto(link);
  await expect(page.getByText("Your role: admin")).toBeVisible();
  await page.getByLabel("Name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Repeat the password").fill(admin.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Sessions" })).toBeVisible();
  await expect(page.getByTestId("account-name")).toContainText("Ada Admin (admin)");
  await page.context().storageState({ path: adminStatePath() });

  // The session cookie cannot be read by scripts and is not sent cross-site.
  const cookie = (await page.context().cookies()).find((c) => c.name.includes("session_token"));
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });

  // The link is spent: setup is over, and it grants nothing any more.
  await page.context().clearCookies();
  await page.goto(link);
  await expect(page).toHaveURL(/\/sign-in$/);
  const again = await request.post("/api/auth/sign-up/email", {
    data: { name: "Second", email: "second@x.test", password: "password123", inviteToken: new URL(link).searchParams.get("token") },
  });
  expect(again.status()).toBe(403);

  // A signed-out visitor is sent to sign in before any page renders: the operator's log holds no
  // refused read for it (each page's reads failed, with a stack trace each, before).
  await page.goto("/runners?x=1");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Frunners%3Fx%3D1$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.goto("/sessions/00000000-0000-4000-8000-000000000000");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsessions%2F/);
  // So is one whose sign-in expired (a cookie the server no longer knows), by the pages' reads.
  await page.context().addCookies([{ name: "flightdeck.session_token", value: "expired.signature", url: baseURL! }]);
  await page.goto("/usage");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fusage$/);
  await page.goto("/runners");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Frunners$/);
  const log = readFileSync(path.join(dataDir(), "server.log"), "utf8");
  expect(log).not.toContain("TRPCError");
});
