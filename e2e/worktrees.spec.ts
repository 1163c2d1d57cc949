import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { scratchRepository } from "../server/worktrees/testing";
import { embeddedRunner, mutate, query, saveScreenshot, waitUntilIdle } from "./helpers";

const edit = (text: string) => `demo:edit=shared.txt ${text}`;

test("a session in its own worktree: the diff shows live, merge into the base, a conflict named, patch download, discard", async ({ page, request }) => {
  test.setTimeout(180_000);
  const { runnerId, directory } = await embeddedRunner(request);
  const repo = scratchRepository(directory);

  // Started from the dashboard with a worktree of its own.
  await page.goto("/");
  await page.getByRole("button", { name: "New session" }).click();
  const form = page.getByRole("form", { name: "New session" });
  await form.getByLabel("Directory").fill(repo.directory);
  await form.getByLabel("Own git worktree").check();
  await form.getByLabel("First prompt").fill(edit("version A"));
  await form.getByRole("button", { name: "Start session" }).click();
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}$/);
  const panel = page.getByTestId("worktree-panel");
  await expect(panel).toContainText(/opencode\/fd-[0-9a-f]{8}/);
  await expect(panel).toContainText("from main");
  await expect(panel.getByTestId("worktree-file")).toHaveCount(1);
  await expect(panel.getByTestId("worktree-file")).toContainText("shared.txt");
  await expect(panel.getByTestId("worktree-file").getByTestId("diff").locator("div", { hasText: /^\+version A$/ })).toHaveCount(1);
  await expect(panel.getByTestId("worktree-file").getByTestId("diff").locator("div", { hasText: /^-original$/ })).toHaveCount(1);
  // The agent's write replaced the file whole: its card says so, not that the file is new.
  const write = page.locator("[data-testid=tool-card][data-tool=write]");
  await expect(write.getByTestId("replaced-file")).toContainText("replaced whole");
  await expect(write.getByTestId("diff")).toHaveCount(0);
  // What the turn changed, once opencode has summed it up.
  await panel.getByTestId("worktree-turns").locator("summary").first().click();
  await expect(panel.getByTestId("worktree-turn")).toHaveCount(1);
  await expect(panel.getByTestId("worktree-turn")).toContainText("Turn 1");
  await expect(panel.getByTestId("worktree-turn-file")).toContainText("shared.txt");
  await saveScreenshot(page, "worktree-diff");

  // A second session on the same repository, opened before its agent edits: its diff appears
  // without a reload when a teammate's prompt makes the agent change the file.
  const { id: second } = await mutate<{ id: string }>(request, "session.create", { runnerId, directory: repo.directory, worktree: true, title: "second" });
  const other = await page.context().newPage();
  await other.goto(`/sessions/${second}`);
  const otherPanel = other.getByTestId("worktree-panel");
  await expect(otherPanel.getByTestId("worktree-summary")).toHaveText("No files changed.");
  await mutate(request, "session.prompt", { sessionId: second, text: edit("version B") });
  await expect(otherPanel.getByTestId("worktree-file").getByTestId("diff").locator("div", { hasText: /^\+version B$/ })).toHaveCount(1);
  await waitUntilIdle(request, second);

  // The Runners page lists both worktrees with the session using each.
  const runners = await page.context().newPage();
  await runners.goto("/runners");
  const rows = runners.locator(`[data-runner-id="${runnerId}"]`).getByTestId("runner-worktree");
  const first = page.url().split("/").pop()!;
  for (const sessionId of [first, second]) {
    const { title, worktree } = await query<{ title: string; worktree: { path: string; branch: string } }>(request, "session.get", { sessionId });
    const row = rows.filter({ hasText: worktree.path });
    await expect(row).toContainText(`${title} (${worktree.branch})`);
    await expect(row).toContainText(/\d+ KB/);
  }
  await expect(rows.filter({ hasText: "orphan" })).toHaveCount(0);
  await runners.close();

  // Merge the first: the base branch has its change, the panel keeps the final diff.
  await panel.getByRole("button", { name: "Merge into main" }).click();
  await expect(panel.getByRole("status")).toContainText("Merged (fast-forward)");
  await expect(panel.getByTestId("worktree-state")).toHaveText("merged");
  await expect(panel.getByTestId("worktree-file")).toContainText("shared.txt");
  // Its directory is gone: the session takes no more prompts, and says why.
  await expect(page.getByTestId("prompt-blocked")).toContainText("worktree was merged and removed");
  expect(readFileSync(path.join(repo.directory, "shared.txt"), "utf8")).toBe("version A\n");
  const mergedHead = repo.git("rev-parse", "main");
  // The archived view keeps the final diff once the worktree is gone.
  const archived = await page.context().newPage();
  await archived.goto(`${new URL(page.url()).pathname}?view=archive`);
  await expect(archived.getByTestId("worktree-state")).toHaveText("merged");
  await expect(archived.getByTestId("worktree-file").getByTestId("diff").locator("div", { hasText: /^\+version A$/ })).toHaveCount(1);
  await archived.close();
  const noScript = await page.context().browser()!.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await noScript.newPage();
  await plain.goto(`${new URL(page.url()).href}?view=archive`);
  await expect(plain.getByTestId("worktree-file").getByTestId("diff").locator("div", { hasText: /^\+version A$/ })).toHaveCount(1);
  await noScript.close();

  // The second conflicts: named, and main stays as it was.
  await otherPanel.getByRole("button", { name: "Merge into main" }).click();
  await expect(otherPanel.getByRole("alert")).toContainText("conflicts in shared.txt; nothing was merged");
  expect(repo.git("rev-parse", "main")).toBe(mergedHead);
  expect(repo.git("status", "--porcelain")).toBe("");

  // Its patch downloads, then it is discarded: worktree and branch gone.
  const download = other.waitForEvent("download");
  await otherPanel.getByRole("button", { name: "Download patch" }).click();
  const patchFile = await download;
  expect(patchFile.suggestedFilename()).toMatch(/^opencode-fd-[0-9a-f]{8}\.patch$/);
  expect(readFileSync(await patchFile.path(), "utf8")).toContain("+version B");
  const { worktree } = await query<{ worktree: { branch: string } }>(request, "session.get", { sessionId: second });
  // Asked first, and the question can be taken back.
  await otherPanel.getByRole("button", { name: "Discard…" }).click();
  await otherPanel.getByRole("button", { name: "Cancel" }).click();
  await expect(otherPanel.getByRole("button", { name: "Really discard the worktree and its branch" })).toHaveCount(0);
  await otherPanel.getByRole("button", { name: "Discard…" }).click();
  await otherPanel.getByRole("button", { name: "Really discard the worktree and its branch" }).click();
  await expect(otherPanel.getByTestId("worktree-state")).toHaveText("discarded");
  expect(repo.git("branch", "--list", worktree.branch)).toBe("");
  await other.close();
});

