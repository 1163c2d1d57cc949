import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { traceTree, writeTraceTreeOpencodeDb, type TraceTree } from "../server/traces/testing";
import { query, unique } from "./helpers";
import { adminStatePath } from "./team-fixtures";

// The waterfall of a 10,000-span tree (issue 13): turns, steps and tool calls of a root session
// and of parallel sub-agents nested to depth 2, from the fixture the bench seeds
// (server/traces/testing.ts). The e2e server's embedded database belongs to its process, so the
// tree goes in as a person's would: an opencode.db uploaded to the archive import.
const SPANS = 10_000;
// "At most a few hundred span rows in the DOM" (the performance section).
const MAX_ROWS = 300;
const rows = (page: Page) => page.getByTestId("waterfall").getByTestId("span-row");

let tree: TraceTree;
let rootId: string;

test.beforeAll(async ({ playwright }, testInfo) => {
  testInfo.setTimeout(5 * 60_000);
  const title = `Traces ${SPANS} ${unique()}`;
  tree = traceTree({ spans: SPANS, title });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-e2e-traces-"));
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL, storageState: adminStatePath() });
  try {
    const file = path.join(dir, "opencode.db");
    writeTraceTreeOpencodeDb(file, tree);
    const runnerName = `traces ${unique()}`;
    const upload = await request.post("/api/archive/import", {
      headers: { accept: "application/json" },
      multipart: { file: { name: "opencode.db", mimeType: "application/octet-stream", buffer: fs.readFileSync(file) }, runnerName },
      timeout: 4 * 60_000,
    });
    expect(upload.status(), await upload.text()).toBe(200);
    expect(await upload.json()).toMatchObject({ trees: 1, sessions: tree.counts.sessions, failed: [] });
    const list = await query<{ items: { id: string; title: string; runner: { name: string } }[] }>(request, "session.list", { search: title, limit: 10 });
    rootId = list.items.find((s) => s.runner.name === runnerName && s.title === title)!.id;
    expect(rootId).toBeTruthy();
  } finally {
    await request.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a 10,000-span tree opens as a waterfall that keeps a few hundred rows in the page and scrolls to its last spans", async ({ page }) => {
  test.setTimeout(3 * 60_000);
  expect(tree.counts.spans).toBe(SPANS);
  await page.goto(`/sessions/${rootId}/traces`);
  const waterfall = page.getByTestId("waterfall");
  await expect(rows(page).first()).toBeVisible({ timeout: 60_000 });
  // The first turn is on top, the prompt that started the run.
  await expect(rows(page).filter({ hasText: tree.first.prompt }).first()).toBeVisible();
  expect(await rows(page).count()).toBeLessThanOrEqual(MAX_ROWS);

  // To the bottom as a person drags the scrollbar: the container jumps, the rows follow.
  const scroller = await waterfall.evaluateHandle((root) => {
    const scrolls = (el: Element) => el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowY);
    const inside = [root, ...root.querySelectorAll("*")].find(scrolls);
    if (inside) return inside;
    for (let el = root.parentElement; el; el = el.parentElement) if (scrolls(el)) return el;
    return document.scrollingElement ?? document.documentElement;
  });
  let most = 0;
  // Down in large steps (as a scrollbar drag goes), counting the rows the page holds on the way.
  for (let pass = 0; pass < 200; pass++) {
    const state = await scroller.evaluate((el) => {
      el.scrollTop += el.clientHeight * 20;
      return { atEnd: el.scrollTop + el.clientHeight >= el.scrollHeight - 1 };
    });
    most = Math.max(most, await rows(page).count());
    if (state.atEnd) break;
  }
  // The rows at the end: the last turn, with its prompt and its tool calls.
  const lastTurn = rows(page).filter({ hasText: tree.last.prompt });
  await expect(lastTurn.first()).toBeInViewport();
  for (const title of tree.last.toolTitles.slice(-2)) await expect(rows(page).filter({ hasText: title }).last()).toBeInViewport();
  await expect(rows(page).filter({ hasText: tree.first.prompt })).toHaveCount(0);
  most = Math.max(most, await rows(page).count());
  expect(most, "span rows in the page at any time while scrolling").toBeLessThanOrEqual(MAX_ROWS);
});
