import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { embeddedRunner, mutate, unique, waitUntilIdle } from "./helpers";

// opencode remembers "Always allow" per directory of the runner, in memory: each test works in
// a directory of its own, so the rule it leaves approves nothing in other specs' sessions.
async function sessionIn(request: APIRequestContext, title: string) {
  const { runnerId, directory } = await embeddedRunner(request);
  const dir = path.join(directory, `permission-scope-${unique()}`);
  mkdirSync(dir, { recursive: true });
  const start = async (t: string) => {
    const { id } = await mutate<{ id: string }>(request, "session.create", { runnerId, directory: dir, title: t });
    await mutate(request, "session.prompt", { sessionId: id, text: "Run the command. demo:permission" });
    return id;
  };
  return { runnerId, dir, start, first: await start(title) };
}

test("'Always allow' shows its scope; the second session's auto-approval is visible there and the rule is listed", async ({ page, request }) => {
  const titleA = `Always ${unique()}`;
  const { dir, start, first } = await sessionIn(request, titleA);
  await page.goto(`/sessions/${first}`);
  const card = page.getByTestId("permission-request");
  const scope = card.getByTestId("always-allow-scope");
  await expect(scope).toContainText("echo *");
  await expect(scope).toContainText(`working in ${dir}, until that runner restarts`);
  await card.getByRole("button", { name: "Always allow" }).click();
  await waitUntilIdle(request, first);

  // The second session asks nothing: its bash call says which rule let it through.
  const second = await start(`Approved ${unique()}`);
  await waitUntilIdle(request, second);
  await page.goto(`/sessions/${second}`);
  await expect(page.getByTestId("assistant-text").last()).toContainText("flightdeck-permission-granted");
  await expect(page.getByTestId("permission-request")).toHaveCount(0);
  const note = page.getByTestId("tool-card").filter({ hasText: "echo flightdeck-permission-granted" }).getByTestId("auto-approval");
  await expect(note).toContainText("auto-approved by the rule echo *");
  await note.getByRole("link", { name: titleA }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${first}$`));

  // The Runners page lists the rule and says how to forget it.
  await page.goto("/runners");
  const rule = page.getByTestId("remembered-rule").filter({ hasText: titleA });
  await expect(rule).toContainText("bash: echo *");
  await expect(rule).toContainText(dir);
  await expect(page.getByTestId("runner-permissions").first()).toContainText("restart the runner to forget them all");
});

test("an admin's switch takes 'Always allow' off a runner's permission cards", async ({ page, request }) => {
  const { runnerId } = await embeddedRunner(request);
  await page.goto("/runners");
  const runner = page.locator(`[data-testid="runner"][data-runner-id="${runnerId}"]`);
  const offer = runner.getByRole("checkbox", { name: "Offer “Always allow” on permission requests" });
  await expect(offer).toBeChecked();
  try {
    const switched = page.waitForResponse((r) => r.url().includes("runner.setAlwaysAllow") && r.ok());
    await offer.uncheck();
    await switched;
    const { first } = await sessionIn(request, `Switched off ${unique()}`);
    await page.goto(`/sessions/${first}`);
    const card = page.getByTestId("permission-request");
    await expect(card.getByTestId("always-allow-scope")).toContainText("An admin switched “Always allow” off");
    await expect(card.getByRole("button", { name: "Allow once" })).toBeVisible();
    await expect(card.getByRole("button", { name: "Always allow" })).toHaveCount(0);
    await card.getByRole("button", { name: "Allow once" }).click();
    await waitUntilIdle(request, first);
  } finally {
    await mutate(request, "runner.setAlwaysAllow", { runnerId, enabled: true });
  }
});
