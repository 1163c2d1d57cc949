import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { mutate, startSession, turnCount, unique, waitForRun } from "./helpers";

// A session of 10,000+ parts, grown through the real runner: five turns of 2,000 tool calls
// each (the Demo model's `demo:tools`), about a minute or two apiece on two cores.
const TURNS = 5;
const CALLS = 2_000;

type ScrollPass = {
  frames: number;
  gapP95: number;
  maxGap: number;
  maxRows: number;
  longestTask: number;
  seen: number;
  toolRows: number;
  answers: number;
  compactions: number;
  emptyPrompts: number;
};

test("a 10,000-part session opens, keeps few rows in the page, and scrolls smoothly end to end, live and archived", async ({ page, request, browser }) => {
  test.setTimeout(20 * 60_000);
  const id = await startSession(request, `Read 1. demo:tools=${CALLS}`, `Long ${unique()}`);
  // The app keeps answering while it stores a burst of thousands of events (it once went
  // quiet for 19 s, and clients' connections were reset).
  const slowest = await whileAnswering(request, () => waitForRun(request, id, 5 * 60_000));
  expect(slowest, "slowest health check during a 2,000-call turn (ms)").toBeLessThan(5_000);
  for (let turn = 2; turn <= TURNS; turn++) {
    // Compactions add turns of their own: the prompt's turn is counted from what is there.
    const before = await turnCount(request, id);
    await mutate(request, "session.prompt", { sessionId: id, text: `Read ${turn}. demo:tools=${CALLS}` });
    await waitForRun(request, id, 5 * 60_000, before + 1);
  }

  const opened = Date.now();
  await page.goto(`/sessions/${id}`);
  const conversation = page.getByTestId("conversation");
  // The page opens at the end of the conversation, where opencode may have compacted the
  // context after the last turn (the Demo model answers a compaction with its help text). Its
  // snapshot holds the latest parts only: the rest comes as the reader goes up.
  await expect(conversation.locator("[data-index]").last()).toBeVisible({ timeout: 60_000 });
  const openMs = Date.now() - opened;
  const windowRows = Number(await conversation.getAttribute("data-rows"));
  expect(windowRows).toBeGreaterThan(0);
  expect(windowRows).toBeLessThan(CALLS);

  // Scrolling up to the first row brings the page before it in.
  await conversation.hover();
  await expect(async () => {
    await page.mouse.wheel(0, -100_000);
    expect(Number(await conversation.getAttribute("data-rows"))).toBeGreaterThan(windowRows);
  }).toPass({ timeout: 30_000 });

  // Home reaches the very first row, the first prompt (everything before comes in); End the
  // very last, the final answer.
  await conversation.focus();
  await page.keyboard.press("Home");
  await expect(conversation).toHaveAttribute("data-rows", /^\d{5,}$/, { timeout: 60_000 });
  await expect(page.getByTestId("user-prompt").first()).toContainText(`Read 1. demo:tools=${CALLS}`);
  await expect(conversation.locator("[data-index='0']")).toBeInViewport();
  await expect.poll(() => conversation.evaluate((el) => el.scrollTop)).toBe(0);
  const rows = Number(await conversation.getAttribute("data-rows"));
  expect(rows).toBeGreaterThan(TURNS * CALLS);

  // Top to bottom, up to 1,500 px a frame, timing frames and long tasks as the browser reports them.
  const pass = await conversation.evaluate(
    (el, answer) =>
      new Promise<ScrollPass>((resolve) => {
        let longestTask = 0;
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
        });
        observer.observe({ type: "longtask" });
        const seen = new Set<number>();
        const toolRows = new Set<number>();
        const answers = new Set<number>();
        const compactions = new Set<number>();
        const emptyPrompts = new Set<number>();
        const gaps: number[] = [];
        let maxRows = 0;
        let last = 0;
        let atEnd = 0;
        const frame = (now: number) => {
          if (last) gaps.push(now - last);
          last = now;
          const present = el.querySelectorAll<HTMLElement>(":scope > div > [data-index]");
          maxRows = Math.max(maxRows, present.length);
          for (const row of present) {
            const index = Number(row.dataset.index);
            seen.add(index);
            if (row.querySelector("[data-testid=tool-card]")) toolRows.add(index);
            if (row.querySelector("[data-testid=assistant-text]")?.textContent?.includes(answer)) answers.add(index);
            if (row.querySelector("[data-testid=compaction]")) compactions.add(index);
            const prompt = row.querySelector("[data-testid=user-prompt]");
            if (prompt && !prompt.textContent?.includes("demo:tools")) emptyPrompts.add(index);
          }
          atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1 ? atEnd + 1 : 0;
          // At the end for a few frames: the last rows are measured and nothing moves any more.
          if (atEnd >= 5) {
            observer.disconnect();
            const sorted = [...gaps].sort((a, b) => a - b);
            resolve({
              frames: gaps.length,
              gapP95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
              maxGap: sorted.at(-1) ?? 0,
              maxRows,
              longestTask,
              seen: seen.size,
              toolRows: toolRows.size,
              answers: answers.size,
              compactions: compactions.size,
              emptyPrompts: emptyPrompts.size,
            });
            return;
          }
          // On, but never past the top of the last row in the page: it stays rendered, so the
          // rows after it render next and none is skipped.
          const lastTop = present.length ? present[present.length - 1]!.getBoundingClientRect().top - el.getBoundingClientRect().top : 0;
          el.scrollTop += Math.max(1, Math.min(1_500, lastTop));
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    `Read ${CALLS} times.`,
  );
  console.log(`10,000-part session: ${rows} rows (${windowRows} at first), opened in ${openMs} ms; scroll pass ${JSON.stringify(pass)}`);
  expect(openMs, "time to open the session").toBeLessThan(60_000);
  expect(pass.seen, "every row rendered during the pass").toBe(rows);
  expect(pass.toolRows).toBe(TURNS * CALLS);
  expect(pass.answers).toBe(TURNS);
  // Compactions (opencode's own, when the context fills) show as such, not as empty prompts.
  expect(pass.emptyPrompts, "prompt bubbles without the prompt's text").toBe(0);
  expect(pass.maxRows, "rows in the DOM at any time").toBeLessThanOrEqual(100);
  expect(pass.gapP95, "95th percentile time between frames (ms)").toBeLessThan(100);
  expect(pass.longestTask, "longest main-thread task while scrolling (ms)").toBeLessThan(1_000);

  await page.keyboard.press("Home");
  await expect(conversation.locator("[data-index='0']")).toBeInViewport();
  await page.keyboard.press("End");
  await expect(conversation.locator(`[data-index='${rows - 1}']`)).toBeInViewport();
  expect(await conversation.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(2);

  await readTail(browser, id);
  await readArchived(browser, id);
  await readShared(browser, request, id);
});

const MAX_FIRST_HTML = 1024 * 1024;

/**
 * The live page before its scripts run (here, never): the conversation's end, rendered with the
 * page from a read of its latest parts, in place of the list the stream's snapshot brings.
 */
async function readTail(browser: Browser, id: string) {
  const storageState = test.info().project.use.storageState;
  const context = await browser.newContext({ javaScriptEnabled: false, storageState });
  const still = await context.newPage();
  await still.goto(`/sessions/${id}`);
  const tail = still.getByTestId("conversation-tail");
  await expect(tail).toBeVisible();
  const rows = await tail.locator("[data-tail-row]").count();
  expect(rows, "rows of the conversation's end").toBeGreaterThan(0);
  expect(rows).toBeLessThanOrEqual(12);
  // The last turn's tool calls, read with the page; no live list without the stream.
  await expect(tail.getByTestId("tool-card").last()).toBeVisible();
  await expect(still.getByTestId("conversation")).toHaveCount(0);
  await context.close();
}

/**
 * The same session's archive, never one giant page. Without JavaScript: page links reach the
 * last turn, and a turn's anchor on the first page leads to its page. With JavaScript: a turn's
 * address lands on its page, and pages scroll end to end within the live view's frame limits.
 */
async function readArchived(browser: Browser, id: string) {
  const storageState = test.info().project.use.storageState;
  const still = await (await browser.newContext({ javaScriptEnabled: false, storageState })).newPage();
  const response = await still.goto(`/sessions/${id}?view=archive`);
  expect((await response!.body()).length, "first page of the archived view (bytes)").toBeLessThan(MAX_FIRST_HTML);
  const pager = still.getByTestId("archive-pager").first();
  const pages = Number(await pager.getAttribute("data-pages"));
  expect(pages, "pages of a 10,000-part session").toBeGreaterThan(10);
  await expect(still.getByTestId("user-prompt").first()).toContainText(`Read 1. demo:tools=${CALLS}`);
  for (let at = 1; at < pages; at++) {
    await still.getByTestId("archive-page-next").first().click();
    await expect(still.getByTestId("archive-pager").first()).toHaveAttribute("data-page", String(at + 1));
  }
  await expect(still.getByTestId("archive-page-next")).toHaveCount(0);
  await expect(still.getByTestId("user-prompt").last()).toContainText(`Read ${TURNS}. demo:tools=${CALLS}`);
  await expect(still.getByTestId("assistant-text").filter({ hasText: `Read ${CALLS} times.` }).last()).toBeVisible();
  // The first page's anchor of the last turn is a link to the page that holds it.
  await still.goto(`/sessions/${id}?view=archive`);
  await still.locator(`a#turn-${TURNS}`).click();
  await expect(still.locator(`section#turn-${TURNS}`)).toBeAttached();
  await still.context().close();

  const live = await (await browser.newContext({ storageState })).newPage();
  await live.goto(`/sessions/${id}?view=archive#turn-${TURNS}`);
  await expect(live.locator(`section#turn-${TURNS}`)).toBeInViewport({ timeout: 30_000 });
  // Every page has the same shape (at most a page of parts): the first, a middle and the last
  // one stand for all of them (the walk without JavaScript above went through every page).
  for (const at of [1, Math.ceil(pages / 2), pages]) {
    await live.goto(`/sessions/${id}?view=archive&page=${at}`);
    await expect(live.getByTestId("archive-pager").first()).toHaveAttribute("data-page", String(at));
    // Scrolling, not loading: the page has loaded, and what streams after the conversation (team
    // activity comes last) has arrived. (Not "networkidle": a page may keep a live feed open.)
    await live.waitForLoadState("load");
    await expect(live.getByTestId("team-activity")).toBeAttached({ timeout: 30_000 });
    const pass = await scrollPage(live);
    console.log(`archived page ${at}: scroll pass ${JSON.stringify(pass)}`);
    // The live view's limits.
    expect(pass.gapP95, `page ${at}: 95th percentile time between frames (ms)`).toBeLessThan(100);
    expect(pass.longestTask, `page ${at}: longest main-thread task while scrolling (ms)`).toBeLessThan(1_000);
  }
  await expect(live.getByTestId("assistant-text").filter({ hasText: `Read ${CALLS} times.` }).last()).toBeVisible();
  await live.context().close();
}

/**
 * The same session through a share link, signed out and without JavaScript: paged as the
 * archive is, a first page under the same limit, and the last turn a link away.
 */
async function readShared(browser: Browser, request: APIRequestContext, id: string) {
  const { path } = await mutate<{ path: string }>(request, "share.create", { sessionId: id });
  const reader = await (await browser.newContext({ javaScriptEnabled: false, storageState: { cookies: [], origins: [] } })).newPage();
  const response = await reader.goto(path);
  expect(response!.status()).toBe(200);
  expect((await response!.body()).length, "first page of the shared view (bytes)").toBeLessThan(MAX_FIRST_HTML);
  const pager = reader.getByTestId("archive-pager").first();
  const pages = Number(await pager.getAttribute("data-pages"));
  expect(pages, "pages of the shared 10,000-part session").toBeGreaterThan(10);
  await expect(reader.getByTestId("user-prompt").first()).toContainText(`Read 1. demo:tools=${CALLS}`);
  await reader.getByTestId("archive-page-next").first().click();
  await expect(reader.getByTestId("archive-pager").first()).toHaveAttribute("data-page", "2");
  // The first page's anchor of a later turn leads to the page that holds it.
  await reader.goto(path);
  await reader.locator(`a#turn-${TURNS}`).click();
  await expect(reader.locator(`section#turn-${TURNS}`)).toBeAttached();
  // The last page (a link in the pager's list) ends with the last prompt's answer.
  await reader.goto(`${path}?page=${pages}`);
  await expect(reader.getByTestId("archive-page-next")).toHaveCount(0);
  await expect(reader.getByTestId("user-prompt").last()).toContainText(`Read ${TURNS}. demo:tools=${CALLS}`);
  await expect(reader.getByTestId("assistant-text").filter({ hasText: `Read ${CALLS} times.` }).last()).toBeVisible();
  await reader.context().close();
}

/** Scrolls the window top to bottom, 1,500 px a frame, timing frames and long tasks. */
function scrollPage(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ gapP95: number; longestTask: number }>((resolve) => {
        let longestTask = 0;
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
        });
        observer.observe({ type: "longtask" });
        const gaps: number[] = [];
        let last = 0;
        window.scrollTo(0, 0);
        const frame = (now: number) => {
          if (last) gaps.push(now - last);
          last = now;
          if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1) {
            observer.disconnect();
            const sorted = [...gaps].sort((a, b) => a - b);
            resolve({ gapP95: sorted[Math.floor(sorted.length * 0.95)] ?? 0, longestTask });
            return;
          }
          window.scrollBy(0, 1_500);
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
  );
}

/** Runs `work` while checking the app's health every 250 ms; returns the slowest answer (ms). */
async function whileAnswering(request: APIRequestContext, work: () => Promise<void>): Promise<number> {
  let done = false;
  let slowest = 0;
  const checking = (async () => {
    while (!done) {
      const started = Date.now();
      expect((await request.get("/api/health")).ok()).toBe(true);
      slowest = Math.max(slowest, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  try {
    await work();
  } finally {
    done = true;
  }
  await checking;
  return slowest;
}
