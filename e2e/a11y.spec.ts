import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { mutate, query, saveScreenshot, startSession, unique, waitUntilIdle } from "./helpers";

// Every page through axe-core, in the light and the dark theme: WCAG 2.0 and 2.1, levels A and
// AA, contrast included. Nothing is excluded: what axe finds is fixed in the components.

const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const signedOut = { storageState: { cookies: [], origins: [] } };

type Fixtures = { live: string; archived: string; sharePath: string; word: string };
let made: Promise<Fixtures> | undefined;

/** A run with a depth-2 sub-agent to read live, another deleted from its runner, a share link. */
function fixtures(request: APIRequestContext): Promise<Fixtures> {
  made ??= (async () => {
    const word = `quokka${unique()}`;
    const run = async (title: string) => {
      const id = await startSession(request, `Delegate twice, ${word}. demo:task=2`, `${title} ${unique()}`);
      await expect.poll(async () => (await query<unknown[]>(request, "session.tree", { sessionId: id })).length, { timeout: 90_000 }).toBe(3);
      await waitUntilIdle(request, id, 90_000);
      return id;
    };
    // Side by side: each waits mostly on its own paced stream.
    const [live, archived] = await Promise.all([run("Accessible tree"), run("Accessible archive")]);
    await mutate(request, "session.delete", { sessionId: archived });
    const { path } = await mutate<{ path: string }>(request, "share.create", { sessionId: live });
    return { live, archived, sharePath: path, word };
  })();
  return made;
}

async function expectNoViolations(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  // The rule, its impact and the first few offending elements: enough to find it in the code.
  const found = violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} :: ${n.failureSummary?.split("\n").slice(1).join(" ")}`),
  }));
  // Soft: one run reports every page's findings, not only the first page's.
  expect.soft(found, `axe violations on ${where}`).toEqual([]);
}

/** Each page once it shows its content (not a loading state), by what a reader would wait for. */
const pages: { name: string; path: (f: Fixtures) => string; ready: (page: Page) => Promise<void> }[] = [
  { name: "dashboard", path: () => "/", ready: (p) => expect(p.getByTestId("session-row").first()).toBeVisible() },
  {
    name: "live session with an open sub-agent",
    path: (f) => `/sessions/${f.live}`,
    ready: async (p) => {
      await expect(p.getByTestId("session-header-status")).toHaveAttribute("data-status", "idle");
      await p.getByTestId("subagent").first().getByRole("button", { name: "Inspect agent session" }).click();
      await expect(p.getByTestId("subagent-conversation").first().getByTestId("assistant-text").first()).toBeVisible();
    },
  },
  {
    name: "archived session",
    path: (f) => `/sessions/${f.archived}`,
    ready: (p) => expect(p.getByTestId("archived-banner")).toBeVisible(),
  },
  {
    name: "traces",
    path: (f) => `/sessions/${f.live}/traces`,
    ready: async (p) => {
      await expect(p.getByTestId("trace-view")).not.toHaveAttribute("data-loading", "");
      await expect(p.getByTestId("trace-summary")).toBeVisible();
    },
  },
  { name: "search", path: (f) => `/search?q=${f.word}`, ready: (p) => expect(p.getByTestId("search-tree").first()).toBeVisible() },
  { name: "usage", path: () => "/usage", ready: (p) => expect(p.getByTestId("usage-time-chart").locator(".recharts-wrapper > svg")).toBeVisible() },
  { name: "runners", path: () => "/runners", ready: (p) => expect(p.getByRole("heading", { name: "Runners", level: 1 })).toBeVisible() },
  { name: "team", path: () => "/team", ready: (p) => expect(p.getByRole("heading", { name: "Team", level: 1 })).toBeVisible() },
  { name: "account", path: () => "/account", ready: (p) => expect(p.getByRole("heading", { name: "Your account" })).toBeVisible() },
  { name: "shares", path: () => "/shares", ready: (p) => expect(p.getByRole("heading", { name: "Shared links" })).toBeVisible() },
  { name: "archive admin", path: () => "/archive", ready: (p) => expect(p.getByRole("heading", { name: "Archive", level: 1 })).toBeVisible() },
];

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme (following the system)`, () => {
    test.use({ colorScheme: scheme });

    test(`every signed-in page has no WCAG A/AA violations`, async ({ page, request }) => {
      test.setTimeout(300_000);
      const f = await fixtures(request);
      for (const p of pages) {
        await test.step(p.name, async () => {
          await page.goto(p.path(f));
          await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
          await p.ready(page);
          await expectNoViolations(page, `${p.name} (${scheme})`);
        });
      }
      // The dashboard's new-session form, open.
      await page.goto("/");
      await page.getByRole("button", { name: "New session" }).click();
      await expect(page.getByLabel("First prompt")).toBeVisible();
      await expectNoViolations(page, `new-session form (${scheme})`);
    });

    test(`the share page and sign-in, signed out, have no WCAG A/AA violations`, async ({ browser, request }) => {
      test.setTimeout(300_000);
      const f = await fixtures(request);
      const context = await browser.newContext({ ...signedOut, colorScheme: scheme });
      const reader = await context.newPage();
      await reader.goto(f.sharePath);
      await expect(reader.getByTestId("assistant-text").last()).toBeVisible();
      await expectNoViolations(reader, `share page (${scheme})`);
      await reader.goto("/sign-in");
      await expect(reader.getByRole("heading", { name: "Sign in" })).toBeVisible();
      await expectNoViolations(reader, `sign-in (${scheme})`);
      await context.close();
    });
  });
}

test.describe("dark mode", () => {
  test.use({ colorScheme: "dark" });

  test("follows the system until a choice is made, remembers it, and is set before the page paints", async ({ page, request }) => {
    const f = await fixtures(request);
    // The theme class as it stood when the body began: what the first paint used.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.body) return;
        document.documentElement.dataset.themeAtFirstPaint = document.documentElement.classList.contains("dark") ? "dark" : "light";
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`/sessions/${f.live}`);
    const html = page.locator("html");
    await expect(html).toHaveAttribute("data-theme-at-first-paint", "dark");
    await expect(html).toHaveClass(/\bdark\b/);
    await expect(page.getByTestId("session-header-status")).toHaveAttribute("data-status", "idle");
    await saveScreenshot(page, "dark-session");
    // The page's ground is dark, not only the class.
    expect(luminance(await bodyColour(page))).toBeLessThan(0.1);

    const toggle = page.getByRole("combobox", { name: "Theme" });
    await toggle.selectOption("light");
    await expect(html).not.toHaveClass(/\bdark\b/);
    await page.reload();
    await expect(html).toHaveAttribute("data-theme-at-first-paint", "light");
    await expect(toggle).toHaveValue("light");

    await page.getByRole("combobox", { name: "Theme" }).selectOption("system");
    await expect(html).toHaveClass(/\bdark\b/);
    await page.emulateMedia({ colorScheme: "light" });
    await expect(html).not.toHaveClass(/\bdark\b/);
    await page.emulateMedia({ colorScheme: "dark" });

    await page.goto("/");
    await expect(page.getByTestId("session-row").first()).toBeVisible();
    await saveScreenshot(page, "dark-dashboard");
  });
});

test.describe("at 800 px", () => {
  test.use({ viewport: { width: 800, height: 800 } });

  test("the dashboard shows cards: every figure of a session on screen, nothing scrolls sideways", async ({ page, request }) => {
    const f = await fixtures(request);
    await page.goto("/");
    const row = page.locator(`[data-testid=session-row][data-session-id="${f.live}"]`);
    await expect(row).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Status" })).toBeHidden();
    // The last figures of a row (the table hid them past its box's right edge at this width).
    const subagents = (await row.getByTestId("subagent-count").boundingBox())!;
    expect(subagents.x + subagents.width).toBeLessThanOrEqual(800);
    const table = page.getByTestId("session-table");
    expect(await table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "dashboard-800");
  });
});

test.describe("at 400 px", () => {
  test.use({ viewport: { width: 400, height: 800 } });

  test("the dashboard shows cards, and no page scrolls sideways", async ({ page, request }) => {
    const f = await fixtures(request);
    const noSidewaysScroll = async (where: string) =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${where} scrolls sideways at 400 px`).toBeLessThanOrEqual(400);

    await page.goto("/");
    const row = page.locator(`[data-testid=session-row][data-session-id="${f.live}"]`);
    await expect(row).toBeVisible();
    // A card: the title above the status, both the row's full width, no column headings.
    const title = (await row.getByRole("link").first().boundingBox())!;
    const status = (await row.getByTestId("status-badge").first().boundingBox())!;
    expect(status.y).toBeGreaterThan(title.y + title.height - 1);
    await expect(page.getByRole("columnheader", { name: "Status" })).toBeHidden();
    await expect(row.getByTestId("subagent-count")).toHaveText("2");
    await noSidewaysScroll("the dashboard");
    await saveScreenshot(page, "narrow-dashboard");

    // The nav: every page's link on screen, reachable without scrolling sideways.
    for (const link of await page.getByRole("navigation", { name: "Main" }).getByRole("link").all()) {
      const box = (await link.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(400);
    }

    await page.goto(`/sessions/${f.live}`);
    await expect(page.getByTestId("session-header-status")).toHaveAttribute("data-status", "idle");
    await page.getByTestId("subagent").first().getByRole("button", { name: "Inspect agent session" }).click();
    await expect(page.getByTestId("subagent-conversation").first().getByTestId("assistant-text").first()).toBeVisible();
    // The prompt box and its button fit the width.
    const send = page.getByRole("button", { name: "Send" });
    await send.scrollIntoViewIfNeeded();
    await expect(send).toBeInViewport({ ratio: 1 });
    await noSidewaysScroll("a session page");
    await saveScreenshot(page, "narrow-session");

    for (const path of [`/sessions/${f.archived}`, `/sessions/${f.live}/traces`, "/usage", "/runners", "/team", "/search"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      await noSidewaysScroll(path);
    }
  });
});

/** The page's background as sRGB bytes (a canvas resolves whatever notation the style uses). */
function bodyColour(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const context = document.createElement("canvas").getContext("2d")!;
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    return Array.from(context.getImageData(0, 0, 1, 1).data.slice(0, 3));
  });
}

/** WCAG relative luminance (0 black, 1 white). */
function luminance([r, g, b]: number[]): number {
  const linear = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
}
