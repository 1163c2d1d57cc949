import { expect, test } from "@playwright/test";
import { pageStatus, startSession, unique } from "./helpers";

test("a failed run reads as Error with a readable reason, its raw error folded, and the Error filter lists it", async ({ page, request }) => {
  const title = `Failing ${unique()}`;
  const id = await startSession(request, "Fail please. demo:error", title);
  await page.goto(`/sessions/${id}`);
  await expect(pageStatus(page)).toHaveAttribute("data-status", "error", { timeout: 30_000 });
  const note = page.getByTestId("message-error");
  await expect(note.getByTestId("error-summary")).toHaveText("The model call failed: The Demo model failed on purpose (demo:error).");
  // The runner's raw error is there for whoever needs it, folded away.
  const raw = note.getByText("invalid_request_error");
  await expect(raw).toBeHidden();
  await note.getByText("Details").click();
  await expect(raw).toBeVisible();
  // Shown once, not again as a session-level note.
  await expect(page.getByTestId("session-error")).toHaveCount(0);
  // A reload (snapshot from the archive) says the same.
  await page.reload();
  await expect(pageStatus(page)).toHaveAttribute("data-status", "error");
  await expect(page.getByTestId("error-summary")).toHaveText("The model call failed: The Demo model failed on purpose (demo:error).");

  await page.goto("/");
  await page.getByLabel("Filter by status").selectOption("error");
  const row = page.getByTestId("session-row").filter({ hasText: title });
  await expect(row.getByTestId("status-badge")).toHaveAttribute("data-status", "error");
  await expect(row.getByTestId("status-reason")).toHaveText("The model call failed: The Demo model failed on purpose (demo:error).");
  await page.getByLabel("Filter by status").selectOption("idle");
  await expect(page.getByTestId("session-row").filter({ hasText: title })).toHaveCount(0);
});
