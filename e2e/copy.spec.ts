import { expect, test } from "@playwright/test";
import { startSession, unique, waitUntilIdle } from "./helpers";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("copy buttons put a command, its output and the agent's message on the clipboard", async ({ page, request }) => {
  const id = await startSession(request, "Run it. demo:bash", `Copy ${unique()}`);
  // The run over first: rows still arriving scroll the list (it follows the end), and a card that
  // moves between a click's press and its release never gets the click (Playwright checks only
  // where the press lands).
  await waitUntilIdle(request, id);
  await page.goto(`/sessions/${id}`);
  const card = page.locator("[data-testid=tool-card][data-tool=bash]");
  await expect(card).toHaveAttribute("data-status", "completed");
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

  await card.getByRole("button", { name: "Copy command" }).click();
  await expect(card.getByRole("status")).toHaveText("Copied");
  await expect.poll(clipboard).toBe("echo hello from the Demo model");
  await card.getByRole("button", { name: "Copy output" }).click();
  await expect.poll(clipboard).toContain("hello from the Demo model");
  const answer = page.getByTestId("assistant-text").last();
  await expect(answer).toContainText("The command printed:");
  // That answer's own button: it shows once the message has ended (an earlier message's button,
  // the last one on the page until then, would copy that message).
  await answer.locator("xpath=..").getByRole("button", { name: "Copy message" }).click();
  // The message as the agent wrote it (its markdown), not the command's output copied before.
  await expect.poll(clipboard).toMatch(/^The command printed:/);
});
