import { expect, test } from "@playwright/test";
import { mutate, saveScreenshot, startSession, unique, waitForRun } from "./helpers";

test("a fork of a tree with a depth-2 sub-agent opens the sub-agents' transcripts, says what it runs with and where it came from", async ({ page, request }) => {
  test.setTimeout(150_000);
  const title = `Fork source ${unique()}`;
  const id = await startSession(request, "Delegate twice. demo:task=2", title);
  await waitForRun(request, id, 90_000);
  const fork = await mutate<{ id: string }>(request, "session.fork", { sessionId: id });

  await page.goto(`/sessions/${fork.id}`);
  const origin = page.getByTestId("forked-from");
  await expect(origin).toContainText(", turn 1");
  await expect(origin.getByRole("link")).toHaveAttribute("href", `/sessions/${id}#turn-1`);
  await expect(page.getByText("Agent build")).toBeVisible();
  await expect(page.getByText("Model flightdeck-demo/demo")).toBeVisible();

  // The copied task call leads to the sub-agent that ran in the source, and on down.
  const child = page.getByTestId("subagent").first();
  await expect(child).toContainText("run in the session this one was forked from");
  await child.getByRole("button", { name: "Inspect agent session" }).click();
  const childConversation = child.getByTestId("subagent-conversation").first();
  await expect(childConversation.getByTestId("assistant-text").first()).toContainText("I will hand this to a sub-agent.");
  const grandchild = childConversation.getByTestId("subagent").first();
  await grandchild.getByRole("button", { name: "Inspect agent session" }).click();
  await expect(grandchild.getByTestId("subagent-conversation").locator("[data-testid=tool-card][data-tool=read]")).toBeVisible();
  await expect(page.getByText("Waiting for the sub-agent's first event…")).toHaveCount(0);
  await saveScreenshot(page, "fork-source-subagents");

  // The fork's archived view leads to the same sub-agents, read from its source's archive.
  const archived = await page.context().newPage();
  await archived.goto(`/sessions/${fork.id}?view=archive`);
  const copied = archived.getByTestId("archived-subagent").first();
  await expect(copied).toContainText("run in the session this one was forked from");
  await copied.locator("summary").first().click();
  await expect(copied.getByTestId("assistant-text").first()).toContainText("I will hand this to a sub-agent.");
  const nested = copied.getByTestId("archived-subagent").first();
  await nested.locator("summary").first().click();
  await expect(nested.locator("[data-testid=tool-card][data-tool=read]").first()).toBeVisible();
  await saveScreenshot(archived, "fork-archived-source-subagents");
  // Synced from the archive view, the reader is brought back to it.
  await archived.getByRole("button", { name: "Sync archive now" }).click();
  await expect(archived).toHaveURL(new RegExp(`/sessions/${fork.id}\\?view=archive$`));
  await expect(archived.getByTestId("archived-banner")).toBeVisible();
  await archived.close();

  await origin.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${id}#turn-1$`));
  await expect(page.getByTestId("session-title")).toContainText(/Demo: task scenario|Fork source/);

  await page.goto("/");
  const row = page.locator(`[data-testid=session-row][data-session-id="${fork.id}"]`);
  await expect(row).toContainText("build");
  await expect(row).toContainText("flightdeck-demo/demo");
});
