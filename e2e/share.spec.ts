import { expect, test, type Browser, type Page } from "@playwright/test";
import { FAKE_DATABASE_URL, FAKE_SECRETS } from "../server/model/fake-secrets";
import { mutate, query, saveScreenshot, startSession, unique, waitForRun } from "./helpers";

// Share links as their readers see them: signed out, in a browser of their own, with and
// without JavaScript. The links are made by the admin (an operator's right) on the session page.

const signedOut = { storageState: { cookies: [], origins: [] } };

async function readerPage(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ ...signedOut, ...options });
  return context.newPage();
}

/** The share page's live stream as raw bytes, read for two seconds (the token goes as the page sends it). */
async function readShareStream(pageUrl: string, sessionId: string): Promise<string> {
  const url = new URL(pageUrl);
  const token = url.pathname.split("/").at(-1)!;
  const search = new URLSearchParams({ input: JSON.stringify({ json: { sessionId } }), connectionParams: JSON.stringify({ share: token }) });
  const abort = new AbortController();
  const response = await fetch(`${url.origin}/api/trpc/share.events?${search}`, { signal: abort.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let bytes = "";
  const timer = setTimeout(() => abort.abort(), 2_000);
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value;
  } catch {
    // aborted after two seconds
  }
  clearTimeout(timer);
  return bytes;
}

/** Makes a share link from the session page, as a person would, and returns it. */
async function shareFromPage(page: Page, sessionId: string): Promise<string> {
  await page.goto(`/sessions/${sessionId}`);
  await page.getByTestId("share-panel").locator("summary").click();
  await page.getByRole("button", { name: "Make share link" }).click();
  const link = page.getByRole("textbox", { name: "Share link" });
  await expect(link).toHaveValue(/\/share\/[\w-]{22,}$/);
  return link.inputValue();
}

test("a depth-2 tree with parallel sub-agents: complete without JavaScript, live with it, gone on revoke", async ({ page, request, browser }) => {
  test.setTimeout(240_000);
  const title = `Shared ${unique()}`;
  const id = await startSession(request, "Two helpers at once. demo:parallel", title);
  await waitForRun(request, id, 90_000);
  await mutate(request, "session.prompt", { sessionId: id, text: "Then delegate deeper. demo:task=2" });
  await waitForRun(request, id, 90_000, 2);
  const sessions = (await query<unknown[]>(request, "session.tree", { sessionId: id })).length;
  expect(sessions).toBe(5);

  const url = await shareFromPage(page, id);

  // Without JavaScript: every session of the tree, server-rendered, and nothing else of the app.
  const still = await readerPage(browser, { javaScriptEnabled: false });
  const response = await still.goto(url);
  expect(response?.status()).toBe(200);
  await expect(still.getByTestId("session-title")).toHaveText(title);
  await expect(still.getByTestId("archived-subagent")).toHaveCount(sessions - 1);
  await expect(still.getByTestId("archived-turn").first()).toBeVisible();
  await expect(still.getByRole("navigation")).toHaveCount(0);
  await expect(still.locator('a[href^="/sessions"], a[href^="/runners"], a[href^="/team"], a[href="/"]')).toHaveCount(0);
  expect(await still.content()).not.toContain("@flightdeck.test");
  // The trace, which needs a script, says so instead of showing a "Loading" that never ends.
  await expect(still.getByTestId("trace-view")).toHaveCount(1);
  await expect(still.getByTestId("trace-loading")).toHaveCount(0);

  // With JavaScript: a new turn appears without a reload.
  const live = await readerPage(browser);
  await live.goto(url);
  await expect(live.getByTestId("share-follow")).toHaveAttribute("data-state", "live");
  const turns = await live.getByTestId("archived-turn").count();
  await mutate(request, "session.prompt", { sessionId: id, text: "One more thing. demo:text" });
  await expect(live.getByTestId("archived-turn")).toHaveCount(turns + 1, { timeout: 60_000 });
  // The live view's prompt bubble: its number and time, then the prompt.
  await expect(live.getByTestId("user-prompt").last()).toContainText("One more thing. demo:text");
  // While a turn runs, the agent's text shows up to its last whole word; the prompt, sent whole, in full.
  await mutate(request, "session.prompt", { sessionId: id, text: "Hold on. demo:hang" });
  await expect(live.getByTestId("archived-turn")).toHaveCount(turns + 2, { timeout: 60_000 });
  await expect(live.getByTestId("user-prompt").last()).toHaveText(/Hold on\. demo:hang$/);
  await mutate(request, "session.abort", { sessionId: id });
  await saveScreenshot(live, "share-page");

  // Revoked from the Shared links page: the open page says so, a new request gets the 404.
  await page.goto("/shares");
  const row = page.getByTestId("share-link").filter({ hasText: title });
  await expect(row.getByTestId("share-views")).toHaveText("2");
  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: /^Revoke: the link stops opening for everyone/ }).click();
  await expect(row.getByTestId("share-state")).toHaveText("Revoked");
  await expect(live.getByRole("heading", { name: "This link is not available" })).toBeVisible({ timeout: 5_000 });
  const again = await still.goto(url);
  expect(again?.status()).toBe(404);
  await expect(still.getByRole("heading", { name: "This link is not available" })).toBeVisible();
  const unknown = await still.goto("/share/not-a-real-token-at-all-xxxxxxxx");
  expect(unknown?.status()).toBe(404);
  await still.context().close();
  await live.context().close();
});

test("secrets the agent printed reach no byte of the share page, its stream or its downloads", async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  const id = await startSession(request, "Show me the config. demo:secrets", `Leaky ${unique()}`);
  await waitForRun(request, id, 90_000);
  const secrets = [...Object.values(FAKE_SECRETS).flatMap((v) => v.split("\n").filter((l) => !l.startsWith("-----"))), FAKE_DATABASE_URL];

  // The team's own view shows what the agent wrote.
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("assistant-text").last()).toContainText(FAKE_SECRETS.githubToken);

  const { path } = await mutate<{ path: string }>(request, "share.create", { sessionId: id });
  const reader = await readerPage(browser);
  await reader.goto(path);
  await expect(reader.getByTestId("assistant-text").last()).toContainText("[redacted");
  await expect(reader.getByTestId("share-follow")).toHaveAttribute("data-state", "live");
  const html = await reader.content();
  const downloads = await Promise.all(["json", "html"].map(async (format) => (await reader.request.get(`${path}/download?format=${format}`)).text()));
  expect(downloads[0]).toContain('"format": "flightdeck-archive"');
  const streamed = await readShareStream(reader.url(), id);
  expect(streamed).toMatch(/^id: \d+$/m);
  for (const bytes of [html, ...downloads, streamed]) {
    for (const secret of secrets) expect(bytes).not.toContain(secret);
  }
  await reader.context().close();
});

test("hostile agent output is inert on a share page", async ({ request, browser }) => {
  const id = await startSession(request, "Be nasty. demo:html", `Hostile shared ${unique()}`);
  await waitForRun(request, id, 60_000);
  const { path } = await mutate<{ path: string }>(request, "share.create", { sessionId: id });
  const reader = await readerPage(browser);
  const dialogs: string[] = [];
  reader.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await reader.goto(path);
  const text = reader.getByTestId("assistant-text").last();
  await expect(text).toContainText("<img src=x onerror=alert(1)>");
  await expect(reader.locator("[data-testid=shared-session] img")).toHaveCount(0);
  await expect(reader.locator("[onerror]")).toHaveCount(0);
  await expect(reader.locator('a[href^="javascript:" i]')).toHaveCount(0);
  await text.getByText("click me").click();
  expect(dialogs).toEqual([]);
  await reader.context().close();
});
