import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { embeddedRunner, mutate, query, saveScreenshot, unique, waitForRun } from "./helpers";

// Finding a session by what happened in it: a word of a prompt, of a tool's output and of a
// sub-agent's answer, each found from the search page, each opening the turn it is in with the
// word marked.

test.use({ viewport: { width: 1300, height: 1000 } });

const marks = (page: Page) => page.evaluate(() => CSS.highlights.get("search-match")?.size ?? 0);

test("a prompt, a tool output and a sub-agent's answer are found, and open their turn with the word marked", async ({ page, request }) => {
  test.setTimeout(180_000);
  const tag = unique().replace(/[^a-z0-9]/gi, "").toLowerCase();
  const { runnerId, directory } = await embeddedRunner(request);
  // A directory of its own: the sub-agent lists it, so its answer names this file.
  const dir = path.join(directory, `search-${tag}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `kumquat${tag}.txt`), "listed by the sub-agent\n");
  fs.writeFileSync(path.join(dir, "notes.txt"), `persimmon${tag} is in this file\n`);
  const { id } = await mutate<{ id: string }>(request, "session.create", { runnerId, directory: dir, title: `Search ${tag}` });
  await mutate(request, "session.prompt", { sessionId: id, text: `demo:task look for quince${tag}` });
  await waitForRun(request, id, 120_000);
  await mutate(request, "session.prompt", { sessionId: id, text: "demo:read=notes.txt" });
  await waitForRun(request, id, 120_000, 2);
  const tree = await query<{ id: string }[]>(request, "session.tree", { sessionId: id });
  const child = tree.find((s) => s.id !== id)!.id;

  // The prompt.
  await page.goto(`/search?q=quince${tag}`);
  const results = page.getByTestId("search-tree");
  await expect(results).toHaveCount(1);
  await expect(results).toHaveAttribute("data-root-id", id);
  const prompt = results.locator("[data-testid=search-match][data-kind=prompt]");
  await expect(prompt.locator("mark")).toHaveText(`quince${tag}`);
  await saveScreenshot(page, "search");
  await prompt.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${id}\\?hl=quince${tag}&turn=1#turn-1$`));
  await expect(page.getByTestId("search-highlight")).toContainText(`Marking “quince${tag}”`);
  await expect.poll(() => marks(page)).toBeGreaterThan(0);

  // A tool's output, in the second turn.
  // (Other sessions running in the workspace meanwhile may list these files in their patches:
  // results are picked by tree.)
  const found = page.locator(`[data-testid=search-tree][data-root-id="${id}"]`);
  await page.goto(`/search?q=persimmon${tag}`);
  const tool = found.locator("[data-testid=search-match][data-kind=tool]");
  await expect(tool).toContainText("Tool call read");
  await expect(tool).toContainText("turn 2");
  await tool.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${id}\\?hl=persimmon${tag}&turn=2#turn-2$`));
  await expect.poll(() => marks(page)).toBeGreaterThan(0);
  await expect(page.getByText("demo:read=notes.txt").first()).toBeInViewport();

  // The sub-agent's answer, in its own session's turn.
  await page.goto(`/search?q=kumquat${tag}`);
  const answer = found.locator(`[data-testid=search-match][data-kind=answer][data-session-id="${child}"]`);
  await expect(answer).toContainText("sub-agent");
  await answer.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${child}\\?hl=kumquat${tag}&turn=1#turn-1$`));
  await expect.poll(() => marks(page)).toBeGreaterThan(0);

  // Without JavaScript, a match's link offers the archived copy, on the page of its turn.
  const noScript = await page.context().browser()!.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const reader = await noScript.newPage();
  await reader.goto(`/search?q=persimmon${tag}`);
  await reader.locator(`[data-testid=search-tree][data-root-id="${id}"] [data-testid=search-match][data-kind=tool]`).getByRole("link").click();
  await reader.getByTestId("archived-copy-link").getByRole("link").click();
  await expect(reader).toHaveURL(new RegExp(`/sessions/${id}\\?view=archive&hl=persimmon${tag}&turn=2#turn-2$`));
  await expect(reader.locator("#turn-2")).toContainText("demo:read=notes.txt");
  await noScript.close();

  // The archived view marks the same words.
  await page.goto(`/sessions/${id}?view=archive&hl=quince${tag}#turn-1`);
  await expect(page.getByTestId("archived-conversation").first()).toBeVisible();
  await expect.poll(() => marks(page)).toBeGreaterThan(0);

  // Filters narrow: the tree has a sub-agent and no error.
  await page.goto(`/search?q=quince${tag}&subagents=no`);
  await expect(page.getByTestId("search-empty")).toBeVisible();
  await page.goto(`/search?q=quince${tag}&subagents=yes&errors=no`);
  await expect(page.getByTestId("search-tree")).toHaveCount(1);

  // Filters without words list the trees they keep, latest activity first, with no matches.
  await page.goto("/search");
  await page.getByText("Filters", { exact: true }).click();
  await page.getByLabel("Runner", { exact: true }).selectOption(runnerId);
  await page.getByLabel("Has sub-agents", { exact: true }).selectOption("yes");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/subagents=yes/);
  await expect(page.getByText("Session trees these filters keep")).toBeVisible();
  await expect(found).toBeVisible();
  await expect(found.getByTestId("search-match")).toHaveCount(0);

  // The dashboard's search box shows what it finds inside conversations.
  await page.goto("/");
  await page.getByLabel("Search sessions", { exact: true }).fill(`quince${tag}`);
  await expect(page.getByTestId("dashboard-matches").getByTestId("search-tree")).toHaveAttribute("data-root-id", id);
});

test("the search page works without JavaScript, and says what is wrong with a query", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: test.info().project.use.storageState as string });
  const page = await context.newPage();
  await page.goto("/search?q=-only");
  await expect(page.getByRole("alert")).toContainText("at least one word");
  // Refusals are sentences, never the validator's JSON.
  await page.goto(`/search?q=${"word ".repeat(50)}`);
  await expect(page.getByRole("alert")).toHaveText("Search text is at most 200 characters");
  await page.goto("/search?q=x&status=bogus");
  await expect(page.getByRole("alert")).toContainText("status: ");
  await expect(page.getByRole("alert")).not.toContainText("[");
  await page.getByLabel("Search text").fill("nothing-matches-this-zzqx");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("search-empty")).toBeVisible();
  await context.close();
});
