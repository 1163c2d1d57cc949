import { expect, test } from "@playwright/test";
import { pageStatus, saveScreenshot, startSession, unique } from "./helpers";

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
  await saveScreenshot(page, "run-state-error");
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

test("a hung turn shows its elapsed time and its silence before it is declared stalled; Abort ends it from Stalled and says so", async ({ page, request }) => {
  // The suite's stall setting is 30 s (playwright.config.ts).
  test.setTimeout(150_000);
  const id = await startSession(request, "Wait forever. demo:hang", `Hung ${unique()}`);
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("assistant-text")).toContainText("going silent");
  await expect(pageStatus(page)).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("run-elapsed")).toContainText(/Turn 1 running for \d/);
  // Quiet for 10 s: said while the turn still counts as running.
  await expect(page.getByTestId("run-quiet")).toContainText(/no events for 1\d s/, { timeout: 25_000 });
  await expect(pageStatus(page)).toHaveAttribute("data-status", "running");

  await expect(pageStatus(page)).toHaveAttribute("data-status", "stalled", { timeout: 40_000 });
  await expect(page.getByTestId("run-quiet")).toContainText("the runner may be stuck");
  await saveScreenshot(page, "run-state-stalled");
  await page.getByRole("button", { name: "Abort" }).click();
  await expect(page.getByTestId("turn-aborted")).toBeVisible();
  await expect(pageStatus(page)).toHaveAttribute("data-status", "idle");
  await expect(page.getByTestId("run-clock")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Abort" })).toHaveCount(0);
  // The record stays: after a reload, and in the team's activity. The abort shows from the live
  // event before its request ends, and the audit line is written as the request ends, so a reload
  // may come just before it: reload until it is there. (Waiting on the response instead does not
  // work: Chromium can end tRPC's streamed batch response as "failed", and finished() never settles.)
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("turn-aborted")).toBeVisible();
    await page.getByTestId("team-activity").locator("summary").click();
    await expect(page.getByTestId("team-activity")).toContainText("aborted", { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
});

test("a model that cannot be reached shows the runner's retries; Abort ends them and leaves a record", async ({ page, request }) => {
  const id = await startSession(request, "Try anyway. demo:retry", `Retrying ${unique()}`);
  await page.goto(`/sessions/${id}`);
  const retry = page.getByTestId("run-retry");
  await expect(retry).toContainText(/retrying in \d s \(attempt \d+\): The Demo model is overloaded \(demo:retry\)\./);
  // The runner keeps trying: the attempts count up.
  await expect(retry).toContainText(/attempt ([2-9]|\d\d)/, { timeout: 30_000 });
  await expect(pageStatus(page)).toHaveAttribute("data-status", "running");
  await saveScreenshot(page, "run-state-retrying");
  await page.getByRole("button", { name: "Abort" }).click();
  await expect(page.getByTestId("turn-aborted")).toBeVisible();
  await expect(pageStatus(page)).toHaveAttribute("data-status", "idle");
  await expect(page.getByTestId("run-clock")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("turn-aborted")).toBeVisible();
  // The next turn does not erase how this one ended: its answer never said it.
  await page.getByLabel("Prompt text").fill("Now answer. demo:text");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("assistant-text").last()).toContainText("real language model.");
  const aborted = page.getByTestId("turn-aborted");
  await expect(aborted).toHaveCount(1);
  // Between the aborted turn and the next prompt, live and from a snapshot.
  const nextPrompt = page.getByTestId("user-prompt").filter({ hasText: "Now answer." });
  // Retried: right after a reload the rows are still being placed, and a row has no box yet.
  const abortedComesFirst = () =>
    expect(async () => {
      const [a, next] = [await aborted.boundingBox(), await nextPrompt.boundingBox()];
      expect(a && next && a.y < next.y).toBe(true);
    }).toPass({ timeout: 10_000 });
  await abortedComesFirst();
  await page.reload();
  await expect(aborted).toHaveCount(1);
  await abortedComesFirst();
});

test("a prompt sent while a turn hangs is shown queued; the abort that drops it says so, and it can be sent again", async ({ page, request }) => {
  const id = await startSession(request, "Wait forever. demo:hang", `Queued ${unique()}`);
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("assistant-text")).toContainText("going silent");
  await page.getByLabel("Prompt text").fill("Then this. demo:text");
  await page.getByRole("button", { name: "Send" }).click();
  const queued = page.getByTestId("user-prompt").filter({ hasText: "Then this." });
  await expect(queued.getByTestId("prompt-queued")).toBeVisible();

  await page.getByRole("button", { name: "Abort" }).click();
  await expect(page.getByTestId("turn-aborted")).toHaveCount(1);
  await expect(queued.getByTestId("prompt-dropped")).toContainText("Not run");
  await expect(pageStatus(page)).toHaveAttribute("data-status", "idle");
  await saveScreenshot(page, "run-state-dropped-prompt");
  // Still said after a reload: nothing about it lives only in this tab.
  await page.reload();
  await expect(queued.getByTestId("prompt-dropped")).toContainText("Not run");
  await expect(page.getByTestId("turn-aborted")).toHaveCount(1);
  // The timeline agrees: the queued prompt's turn never ran, so it has no duration.
  await expect(page.getByTestId("timeline").locator("[data-testid=timeline-turn][data-turn='2']")).toContainText("Not run");

  await queued.getByRole("button", { name: "Send again" }).click();
  await expect(page.getByTestId("assistant-text").last()).toContainText("real language model.");
  await expect(page.getByTestId("user-prompt").filter({ hasText: "Then this." })).toHaveCount(2);
  await expect(queued.first().getByTestId("prompt-dropped")).toBeVisible();
});
