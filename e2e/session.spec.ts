import { expect, test, type Page } from "@playwright/test";
import { mutate, saveScreenshot, startSession, unique, waitForRun, waitUntilIdle } from "./helpers";

const headerStatus = (page: Page) => page.getByTestId("session-header-status");

test("a depth-2 sub-agent opens inline while it runs, live, then its own sub-agent, and on its own page", async ({ page, request }) => {
  const id = await startSession(request, "Delegate twice. demo:task=2", `Depth two ${unique()}`);
  await page.goto(`/sessions/${id}`);

  const child = page.getByTestId("subagent").first();
  // The button is there as soon as the child session exists: open it right away, mid-run.
  await child.getByRole("button", { name: "Inspect agent session" }).click();
  const childConversation = child.getByTestId("subagent-conversation").first();
  await expect(childConversation.getByTestId("assistant-text").first()).toContainText("I will hand this to a sub-agent.");
  await expect(childConversation.locator("[data-testid=tool-card][data-tool=task]")).toBeVisible();
  // Still running while its text and tool call appeared, and marked live.
  await expect(child).toHaveAttribute("data-status", "running");
  await expect(child.getByTestId("live-indicator").first()).toBeVisible();

  const grandchild = childConversation.getByTestId("subagent").first();
  await grandchild.getByRole("button", { name: "Inspect agent session" }).click();
  const grandConversation = grandchild.getByTestId("subagent-conversation");
  await expect(grandConversation.locator("[data-testid=tool-card][data-tool=read]")).toBeVisible();
  await expect(grandConversation.getByTestId("assistant-text").last()).toContainText("I read");

  await expect(headerStatus(page)).toHaveAttribute("data-status", "idle", { timeout: 30_000 });
  await expect(child).toHaveAttribute("data-status", "idle");
  await expect(child.getByText("1 nested sub-agent")).toBeVisible();
  await expect(page.getByTestId("assistant-text").last()).toContainText("The sub-agent finished. It reported:");
  // The lineage and the timeline below follow the run without a reload: the whole tree, each
  // session idle, and the turn (they are read again as sessions appear and turns end).
  const nodes = page.getByTestId("lineage").getByTestId("lineage-node");
  await expect(nodes).toHaveCount(3);
  for (const node of await nodes.all()) await expect(node).toHaveAttribute("data-status", "idle");
  await expect(page.getByTestId("timeline")).toContainText("(1 turn, newest first)");
  await expect(page.getByTestId("timeline-turn")).toHaveAttribute("data-status", "completed");
  await expect(page.getByTestId("timeline-error")).toHaveCount(0);
  // Scroll up to the expanded sub-agent (as a reader would, which stops following) for the picture.
  await page.getByTestId("conversation").hover();
  await page.mouse.wheel(0, -200);
  const childHeader = child.getByRole("button", { name: "Hide agent session" }).first();
  await childHeader.evaluate((el) => el.scrollIntoView({ block: "start" }));
  await expect(childHeader).toBeInViewport();
  await saveScreenshot(page, "session-expanded-subagent");

  // The child on its own page: its conversation, a way back to the parent, no prompt box of its own.
  await child.getByRole("link", { name: "Open page" }).first().click();
  await expect(page).not.toHaveURL(new RegExp(`/sessions/${id}$`));
  await expect(page.getByTestId("user-prompt")).toContainText("Spawn a sub-agent of your own");
  await expect(page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: /Demo: task scenario|Depth two/ })).toBeVisible();
  await expect(page.getByTestId("prompt-blocked")).toContainText("sub-agent session");
});

test("a permission request is answered from the page and the run continues; everyone sees who answered", async ({ page, browser, request }) => {
  const id = await startSession(request, "Run the command. demo:permission", `Permission ${unique()}`);
  await page.goto(`/sessions/${id}`);
  const card = page.getByTestId("permission-request");
  await expect(card).toContainText("echo flightdeck-permission-granted");
  await expect(headerStatus(page)).toHaveAttribute("data-status", "waiting");
  // The bash call has not run yet: its card says what it waits for.
  const bash = page.locator("[data-testid=tool-card][data-tool=bash]");
  await expect(bash.getByTestId("tool-waiting")).toHaveText("waiting for approval");
  await card.getByRole("button", { name: "Allow once" }).click();

  await expect(page.getByTestId("request-answer")).toContainText("Allowed once by Ada Admin");
  await expect(page.getByTestId("permission-request")).toHaveCount(0);
  await expect(page.getByTestId("assistant-text").last()).toContainText("Thanks. The approved command printed: flightdeck-permission-granted");
  await expect(headerStatus(page)).toHaveAttribute("data-status", "idle");

  // A teammate opening the session later sees the same answer and who gave it.
  const other = await browser.newPage();
  await other.goto(`/sessions/${id}`);
  await expect(other.getByTestId("request-answer")).toContainText("Allowed once by Ada Admin");
  await expect(other.getByTestId("request-answer")).toContainText("echo flightdeck-permission-granted");
  await expect(bash.getByTestId("tool-waiting")).toHaveCount(0);
  // The archive keeps it too: its read-only view and its JSON export.
  await other.goto(`/sessions/${id}?view=archive`);
  await expect(other.getByTestId("archived-conversation").getByTestId("request-answer")).toContainText("Allowed once by Ada Admin");
  const exported = await (await request.get(`/api/archive/${id}/export?format=json`)).json();
  expect(exported.session.requestAnswers).toEqual([expect.objectContaining({ kind: "permission", reply: "once", by: "Ada Admin" })]);
  await other.close();
});

test("aborts a run that would never finish", async ({ page, request }) => {
  const id = await startSession(request, "Wait forever. demo:hang", `Abort ${unique()}`);
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("assistant-text")).toContainText("going silent");
  await expect(headerStatus(page)).toHaveAttribute("data-status", "running");
  await page.getByRole("button", { name: "Abort" }).click();
  await expect(page.getByTestId("turn-aborted")).toBeVisible();
  await expect(headerStatus(page)).not.toHaveAttribute("data-status", "running");
  await expect(page.getByRole("button", { name: "Abort" })).toHaveCount(0);
  await waitUntilIdle(request, id);
  // The session takes prompts again.
  await page.getByLabel("Prompt text").fill("Again. demo:text");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("assistant-text").last()).toContainText("real language model.");
});

test("a reload mid-stream ends with exactly the runner's text, nothing doubled or lost", async ({ page, request }) => {
  test.setTimeout(180_000);
  const count = 1200;
  const id = await startSession(request, `Count. demo:long=${count}`, `Reload ${unique()}`);
  await page.goto(`/sessions/${id}`);
  const text = page.getByTestId("assistant-text");
  await expect(text).toContainText("1 2 3");
  await expect(headerStatus(page)).toHaveAttribute("data-status", "running");
  await page.reload();
  await expect(headerStatus(page)).toHaveAttribute("data-status", "idle", { timeout: 150_000 });
  // demo:long streams "1 2 … n" with a line break after every 20th number.
  const numbers = (await text.innerText()).trim().split(/\s+/).map(Number);
  expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  await expect(text).toHaveCount(1);
});

test("hostile agent output (event-handler img, javascript: link) is shown inert", async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const id = await startSession(request, "Be nasty. demo:html", `Hostile ${unique()}`);
  await page.goto(`/sessions/${id}`);
  const text = page.getByTestId("assistant-text");
  await expect(text).toContainText("Both must stay inert.");
  // The markup is shown as the text the agent wrote, never as an element.
  await expect(text).toContainText("<img src=x onerror=alert(1)>");
  await expect(page.locator("[data-testid=live-session] img")).toHaveCount(0);
  await expect(page.locator("[onerror]")).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:" i]')).toHaveCount(0);
  await text.getByText("click me").click();
  await page.waitForLoadState("domcontentloaded");
  expect(dialogs).toEqual([]);
  await expect(page).toHaveURL(new RegExp(`/sessions/${id}$`));
});

test("an unknown session id is a 404 page, a malformed one a 400", async ({ page }) => {
  const missing = await page.goto("/sessions/00000000-0000-4000-8000-000000000000");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No such session" })).toBeVisible();
  const malformed = await page.goto("/sessions/not-a-session");
  expect(malformed?.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "That is not a session address" })).toBeVisible();
});

test("follows the stream at the bottom until the reader scrolls up, then offers a jump to the latest", async ({ page, request }) => {
  test.setTimeout(180_000);
  const id = await startSession(request, `Count. demo:long=1200`, `Scroll ${unique()}`);
  await page.goto(`/sessions/${id}`);
  const conversation = page.getByTestId("conversation");
  await expect(page.getByTestId("assistant-text")).toContainText("200");
  const distanceFromBottom = () => conversation.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  await expect.poll(distanceFromBottom).toBeLessThan(40);
  await conversation.hover();
  await page.mouse.wheel(0, -400);
  await expect(page.getByRole("button", { name: /Jump to latest/ })).toBeVisible();
  await page.getByRole("button", { name: /Jump to latest/ }).click();
  await expect(page.getByRole("button", { name: /Jump to latest/ })).toHaveCount(0);
  await expect.poll(distanceFromBottom).toBeLessThan(40);
  await waitUntilIdle(request, id, 150_000);
});

test("a long session stays light: only a window of its rows is in the page, and both ends are reachable", async ({ page, request }) => {
  // Prompts queued while the runner works each become a turn with a prompt row: the quickest
  // way through a real runner to a conversation of hundreds of rows.
  test.setTimeout(240_000);
  const count = 200;
  const id = await startSession(request, "Note 1. demo:long=3", `Long ${unique()}`);
  // A reused keep-alive socket the busy server just closed resets now and then; a repeated
  // "Note k" prompt changes nothing this test looks at.
  const note = (k: number) =>
    mutate(request, "session.prompt", { sessionId: id, text: `Note ${k}. demo:long=3` }).catch((error: Error) => {
      if (!/ECONNRESET|socket hang up/.test(error.message)) throw error;
      return mutate(request, "session.prompt", { sessionId: id, text: `Note ${k}. demo:long=3` });
    });
  for (let n = 2; n < count; n += 8) {
    await Promise.all(Array.from({ length: Math.min(8, count - n) }, (_, i) => note(n + i)));
  }
  await note(count);
  await waitUntilIdle(request, id, 150_000);

  await page.goto(`/sessions/${id}`);
  const conversation = page.getByTestId("conversation");
  // Queued prompts reach the runner in no fixed order: find the ends by row, not by text.
  const row = (index: number) => conversation.locator(`[data-index="${index}"]`);
  const rendered = () => conversation.locator("[data-index]").count();
  await expect(conversation).toHaveAttribute("data-rows", /\d+/);
  const rows = Number(await conversation.getAttribute("data-rows"));
  expect(rows).toBeGreaterThan(count);
  // Opens at the latest: the last row (the final answer's usage) and the answer above it.
  await expect(row(rows - 1)).toBeInViewport();
  await expect(page.getByTestId("assistant-text").last()).toBeInViewport();
  expect(await rendered()).toBeLessThan(60);

  // The reader scrolls all the way up with the wheel.
  await conversation.hover();
  await expect
    .poll(async () => {
      await page.mouse.wheel(0, -20_000);
      return conversation.evaluate((el) => el.scrollTop);
    })
    .toBe(0);
  await expect(row(0)).toBeInViewport();
  await expect(row(0).getByTestId("user-prompt")).toContainText("demo:long=3");
  await expect(row(rows - 1)).toHaveCount(0);
  expect(await rendered()).toBeLessThan(60);

  await page.getByRole("button", { name: /Jump to latest/ }).click();
  await expect(row(rows - 1)).toBeInViewport();
  await expect(row(0)).toHaveCount(0);
});

test("the agent's todo list reads as a checklist, in the live view and the archive", async ({ page, request }) => {
  const id = await startSession(request, "Plan it. demo:todo", `Todo ${unique()}`);
  await waitForRun(request, id, 60_000);
  for (const address of [`/sessions/${id}`, `/sessions/${id}?view=archive`]) {
    await page.goto(address);
    const items = page.locator("[data-testid=tool-card][data-tool=todowrite]").getByTestId("todo-list").getByRole("listitem");
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toHaveAttribute("data-status", "completed");
    await expect(items.nth(0)).toContainText("Read the code");
    await expect(items.nth(1)).toHaveAttribute("data-status", "in_progress");
    await expect(items.nth(1)).toContainText("Write the fix");
  }
});

test("tabs left in the background give back their connections: with seven open, the one in front still sends, and a tab brought back catches up", async ({ page, request }) => {
  test.setTimeout(150_000);
  const id = await startSession(request, "Hello. demo:text", `Many tabs ${unique()}`);
  await waitForRun(request, id, 60_000);
  // Six tabs of the session, each holding a live stream (a browser opens six connections to a server), then sent to the background.
  const hide = (tab: Page, state: "hidden" | "visible") =>
    tab.evaluate((s) => {
      Object.defineProperty(document, "visibilityState", { value: s, configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);
  const background: Page[] = [];
  for (let i = 0; i < 6; i++) {
    const tab = i === 0 ? page : await page.context().newPage();
    await tab.goto(`/sessions/${id}`);
    await expect(tab.getByTestId("connection")).toHaveAttribute("data-state", "live");
    await hide(tab, "hidden");
    background.push(tab);
  }
  // Past the grace period (HIDDEN_GRACE_MS), the front tab loads and sends as if it were alone.
  await page.waitForTimeout(31_000);
  const front = await page.context().newPage();
  await front.goto(`/sessions/${id}`, { timeout: 15_000 });
  await front.getByLabel("Prompt text").fill("Once more. demo:text");
  await front.getByRole("button", { name: "Send" }).click();
  await expect(front.getByTestId("user-prompt")).toHaveCount(2, { timeout: 15_000 });
  await waitForRun(request, id, 60_000, 2);
  // A background tab brought back resumes its stream and shows what it missed.
  await hide(background[0]!, "visible");
  await expect(background[0]!.getByTestId("user-prompt")).toHaveCount(2, { timeout: 15_000 });
  for (const tab of [...background.slice(1), front]) await tab.close();
});
