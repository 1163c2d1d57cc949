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

/** The row of one of the root session's turns ("Turn 12"; each sub-agent has its own "Turn 1"). */
const rootTurn = (page: Page, index: number) =>
  page.locator(`[data-testid=waterfall] [data-testid=span-row][data-kind=turn][data-session-id="${rootId}"]`).filter({ hasText: new RegExp(`Turn ${index}(?!\\d)`) });

test("a 10,000-span tree opens as a waterfall that keeps a few hundred rows in the page and scrolls to its last spans", async ({ page }) => {
  test.setTimeout(3 * 60_000);
  expect(tree.counts.spans).toBe(SPANS);
  await page.goto(`/sessions/${rootId}/traces`);
  const waterfall = page.getByTestId("waterfall");
  await expect(rows(page).first()).toBeVisible({ timeout: 60_000 });
  // Every span is there (the later pages arrive after the first paint), few of them in the page.
  await expect(waterfall).toHaveAttribute("data-spans", String(SPANS), { timeout: 60_000 });
  await expect(rootTurn(page, 1)).toBeVisible();
  expect(await rows(page).count()).toBeLessThanOrEqual(MAX_ROWS);

  // To the bottom as a person drags the scrollbar: the list jumps, the rows follow.
  const list = waterfall.getByRole("grid");
  await list.scrollIntoViewIfNeeded();
  let most = 0;
  for (let pass = 0; pass < 200; pass++) {
    const atEnd = await list.evaluate((el) => {
      el.scrollTop += el.clientHeight * 20;
      return el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
    });
    most = Math.max(most, await rows(page).count());
    if (atEnd) break;
  }
  // At the end: the run's last turn with its tool calls, and the first turn gone from the page.
  await expect(rootTurn(page, tree.last.turnIndex)).toBeInViewport();
  for (const title of tree.last.toolTitles.slice(-2)) await expect(rows(page).filter({ hasText: title }).last()).toBeInViewport();
  await expect(rootTurn(page, 1)).toHaveCount(0);
  most = Math.max(most, await rows(page).count());
  expect(most, "span rows in the page at any time while scrolling").toBeLessThanOrEqual(MAX_ROWS);
});
