import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { mutate, query, saveScreenshot, startSession, unique, waitUntilIdle } from "./helpers";
import { subagentRunRows, writeOpencodeDb } from "../server/archive/testing";

// The archive as a reader without JavaScript sees it: a real run with nested sub-agents, deleted
// from its runner, is read in full from the server-rendered archive; Fork is a plain form.

test.describe("archived sessions, JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("a run with sub-agents, deleted from the runner, is readable in full from the archive", async ({ page, request }) => {
    test.setTimeout(180_000);
    const title = `Archived ${unique()}`;
    const id = await startSession(request, "Delegate twice. demo:task=2", title);
    // The whole run: both nested sub-agents exist and the root answered after them.
    await expect.poll(async () => (await query<unknown[]>(request, "session.tree", { sessionId: id })).length, { timeout: 60_000 }).toBe(3);
    await waitUntilIdle(request, id, 60_000);
    // The app archives the tree, then removes it from the runner.
    await mutate(request, "session.delete", { sessionId: id });

    const response = await page.goto(`/sessions/${id}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByTestId("session-title")).toHaveText(title);
    await expect(page.getByTestId("session-header-status")).toHaveAttribute("data-status", "gone");
    const banner = page.getByTestId("archived-banner");
    await expect(banner).toContainText("deleted from its runner");
    const stat = (name: string) => banner.locator(`[data-stat="${name}"] dd`);
    await expect(stat("Turns")).toHaveText("1");
    await expect(stat("Sub-agents")).toHaveText("2");
    await expect(stat("Messages")).not.toHaveText("0");
    await expect(stat("Tool calls")).not.toHaveText("0");
    await expect(stat("Tokens in")).not.toHaveText("0");
    await expect(stat("Last synced to the archive")).not.toHaveText("never");
    await expect(page.getByTestId("archive-state")).toHaveAttribute("data-state", "archived");

    // The root's conversation...
    await expect(page.getByTestId("user-prompt").first()).toContainText("Delegate twice. demo:task=2");
    await expect(page.getByTestId("assistant-text").last()).toContainText("The sub-agent finished. It reported:");
    // ...and every sub-agent, nested, opened with the browser's own <details> (no script).
    const child = page.getByTestId("archived-subagent").first();
    await child.locator("summary").first().click();
    await expect(child.getByTestId("user-prompt").first()).toBeVisible();
    await expect(child.locator("[data-testid=tool-card][data-tool=task]").first()).toBeVisible();
    const grandchild = child.getByTestId("archived-subagent").first();
    await grandchild.locator("summary").first().click();
    await expect(grandchild.locator("[data-testid=tool-card][data-tool=read]")).toBeVisible();
    await expect(grandchild.getByTestId("assistant-text").last()).toContainText("I read");
    await expect(page.getByTestId("archived-subagent")).toHaveCount(2);
    await saveScreenshot(page, "archived-session-no-js");
    // The panels streamed in after the conversation, on a page that waits for them.
    await expect(page.getByTestId("timeline")).toBeHidden();
    await page.getByTestId("inline-panels-link").getByRole("link").click();
    await expect(page).toHaveURL(/panels=inline/);
    await expect(page.getByTestId("archived-trace")).toContainText("Trace");
    await expect(page.getByTestId("lineage-node")).toHaveCount(3);
    await expect(page.getByTestId("timeline-turn")).toHaveCount(1);
    await expect(page.getByTestId("team-activity")).toContainText("Team activity");
    await expect(page.getByTestId("inline-panels-link")).toHaveCount(0);
    // A sub-agent's own page counts the whole tree in its banner, and says so.
    await expect(page.getByTestId("archived-banner-scope")).toHaveCount(0);
    const members = await query<{ id: string }[]>(request, "session.tree", { sessionId: id });
    await page.goto(`/sessions/${members.find((m) => m.id !== id)!.id}`);
    await expect(page.getByTestId("archived-banner-scope")).toContainText(`of the whole tree, “${title}”`);
    await expect(stat("Sub-agents")).toHaveText("2");
    await page.goto(`/sessions/${id}`);

    // Exports: the whole tree as JSON, and one offline HTML file with no script or remote asset.
    const json = await (await request.get(`/api/archive/${id}/export?format=json`)).json();
    expect(json.session.subAgents).toHaveLength(1);
    expect(json.session.subAgents[0].subAgents).toHaveLength(1);
    const html = await request.get(`/api/archive/${id}/export?format=html`);
    expect(html.headers()["content-type"]).toContain("text/html");
    const text = await html.text();
    expect(text).toContain("The sub-agent finished. It reported:");
    expect(text).toContain("Content-Security-Policy");
    expect(text).not.toMatch(/<script|<link|src="http/i);

    // Fork (a plain form post): a new live session on a runner, recorded as a fork of this one.
    await page.getByRole("button", { name: "Fork" }).click();
    await expect(page).not.toHaveURL(new RegExp(`/sessions/${id}$`));
    const forkId = page.url().split("/").pop()!;
    const fork = await query<{ id: string; deletedAt: string | null }>(request, "session.get", { sessionId: forkId });
    expect(fork.deletedAt).toBeNull();
    const source = await query<{ tree: { forks: { sessionId: string; turnIndex: number }[] } }>(request, "archive.tree", { sessionId: id });
    expect(source.tree.forks).toEqual([expect.objectContaining({ sessionId: forkId, turnIndex: 1 })]);

    // Purge is a separate admin action; afterwards the address says the session was purged (410).
    await page.goto(`/sessions/${id}`);
    await page.getByTestId("purge").locator("summary").click();
    await page.getByLabel("Session id to confirm the purge").fill(id);
    await page.getByRole("button", { name: "Purge for good" }).click();
    await expect(page.getByRole("heading", { name: "This session was purged" })).toBeVisible();
    const gone = await page.goto(`/sessions/${id}`);
    expect(gone?.status()).toBe(410);
    expect((await request.get(`/api/archive/${id}/export`)).status()).toBe(410);
  });

  test("an uploaded opencode.db becomes readable archives; a file that is not one is refused", async ({ page, request }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-e2e-import-"));
    const file = path.join(dir, "opencode.db");
    writeOpencodeDb(file, subagentRunRows());
    const runnerName = `uploaded ${unique()}`;
    const upload = (buffer: Buffer, name: string) =>
      request.post("/api/archive/import", {
        headers: { accept: "application/json" },
        multipart: { file: { name, mimeType: "application/octet-stream", buffer }, runnerName },
      });
    const first = await upload(fs.readFileSync(file), "opencode.db");
    expect(first.status()).toBe(200);
    const report = await first.json();
    expect(report).toMatchObject({ trees: 1, sessions: 3, failed: [] });
    const again = await (await upload(fs.readFileSync(file), "opencode.db")).json();
    expect(again).toMatchObject({ trees: 1, changes: 0 });

    const bad = await upload(Buffer.from("hello, not a database"), "notes.txt");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).message).toMatch(/"notes.txt" is not an opencode database/);

    const list = await query<{ items: { id: string; displayStatus: string; runner: { name: string } }[] }>(request, "session.list", { search: "x", limit: 200 });
    const imported = list.items.find((s) => s.runner.name === runnerName)!;
    await page.goto(`/sessions/${imported.id}`);
    await expect(page.getByTestId("archived-banner")).toContainText("runner of this session is not serving");
    // Not known to be gone: its last recorded status, as the dashboard lists it.
    expect(imported.displayStatus).not.toBe("gone");
    await expect(page.getByTestId("session-header-status")).toHaveAttribute("data-status", imported.displayStatus);
    await expect(page.getByTestId("archived-subagent")).toHaveCount(2);

    // Its runner says where the trees came from, as a note, not as a failure.
    await page.goto("/runners");
    const card = page.locator(`[data-testid="runner"][data-runner-id="${report.runnerId}"]`);
    await expect(card).toContainText("Imported from an opencode database; not serving");
    await expect(card).toContainText("upload:opencode.db");
    await expect(card).not.toContainText("Last error");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("malformed, unknown and purged ids answer 400, 404 and 410", async ({ request }) => {
    expect((await request.get("/api/archive/not-a-session/export")).status()).toBe(400);
    const unknown = await request.get("/api/archive/00000000-0000-4000-8000-000000000000/export");
    expect(unknown.status()).toBe(404);
    expect((await unknown.json()).error).toBe("unknown");
    expect((await request.get("/api/archive/00000000-0000-4000-8000-000000000000/export?format=pdf")).status()).toBe(400);
    // The same refusal from the services the app started at boot (another bundle than the route's).
    const sync = await request.post("/api/trpc/archive.sync", { data: { json: { sessionId: "00000000-0000-4000-8000-000000000000" } } });
    expect(sync.status()).toBe(404);
    expect((await sync.json()).error.json.message).toMatch(/^No (archived )?session 00000000-0000-4000-8000-000000000000/);
  });
});

test("a live session shows its archive state; Sync archive now archives it; the dashboard and admin page show it", async ({ page, request }) => {
  const title = `Sync me ${unique()}`;
  const id = await startSession(request, "Say something. demo:text", title);
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("assistant-text").last()).toContainText("real language model.");
  await waitUntilIdle(request, id);
  await page.getByRole("button", { name: "Sync archive now" }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${id}$`));
  const state = page.getByTestId("archive-strip").getByTestId("archive-state");
  await expect(state).toHaveAttribute("data-state", "archived");
  await expect(state).toContainText("last synced");
  // The live view is still the live view, with a way to the read-only archive.
  await expect(page.getByTestId("live-session")).toBeVisible();
  await page.getByRole("link", { name: "Read-only archive view" }).click();
  await expect(page.getByTestId("archived-banner")).toContainText("You are reading the archive");
  // A sync that cannot run still leads back to a page (which says why), never to the API's JSON.
  const unknown = "00000000-0000-4000-8000-000000000000";
  await page.goto(`/sessions/${id}`);
  await page.evaluate((action) => document.querySelector<HTMLFormElement>("[data-testid=sync-form]")!.setAttribute("action", action), `/api/archive/${unknown}/sync`);
  await page.getByRole("button", { name: "Sync archive now" }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${unknown}$`));
  await expect(page.getByRole("heading", { name: "No such session" })).toBeVisible();

  await page.goto("/");
  const row = page.locator(`[data-testid=session-row][data-session-id="${id}"]`);
  await expect(row.getByTestId("archive-state")).toHaveAttribute("data-state", "archived");

  // Admin: a runner's own retention, set with a plain form.
  await page.goto("/archive");
  const embedded = page.locator('[data-testid=runner-retention][data-runner="embedded"]');
  await embedded.getByLabel("Retention days for embedded").fill("45");
  await embedded.getByRole("button", { name: "Save" }).click();
  await expect(page.locator('[data-testid=runner-retention][data-runner="embedded"]')).toContainText("45 days");
  const retention = await query<{ runners: { name: string; retentionDays: number | null }[] }>(request, "archive.retention");
  expect(retention.runners.find((r) => r.name === "embedded")?.retentionDays).toBe(45);
});

test("the offline HTML export of a session with one long unbroken title wraps it, never scrolling sideways", async ({ page, request }) => {
  const title = `Long${"x".repeat(180)}${unique()}`;
  const id = await startSession(request, "Say something. demo:text", title);
  await waitUntilIdle(request, id);
  const html = await (await request.get(`/api/archive/${id}/export?format=html`)).text();
  await page.setViewportSize({ width: 800, height: 800 });
  await page.setContent(html);
  await expect(page.getByTestId("session-title")).toContainText(title.slice(0, 40));
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
});

test("the import form refuses a file over the limit before sending a byte, and an upload ends on its outcome", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-e2e-upload-"));
  const huge = path.join(dir, "huge.db");
  // Sparse: 1.5 GB on paper, nothing on disk.
  fs.closeSync(fs.openSync(huge, "w"));
  fs.truncateSync(huge, 1.5 * 1024 ** 3);
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith("/api/archive/import")) posts.push(r.resourceType());
  });
  await page.goto("/archive");
  await page.getByLabel("opencode database file").setInputFiles(huge);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("import-error")).toHaveText("huge.db is 1.5 GB: uploads are limited to 1 GB. Nothing was sent. A larger database imports on the server with npm run import.");
  expect(posts).toEqual([]);

  const file = path.join(dir, "opencode.db");
  writeOpencodeDb(file, subagentRunRows());
  await page.getByLabel("opencode database file").setInputFiles(file);
  await expect(page.getByTestId("import-error")).toHaveCount(0);
  await page.getByLabel("Runner name (optional)").fill(`form upload ${unique()}`);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("import-result")).toContainText("1 session tree");
  expect(page.url()).toMatch(/\/archive\?import=done/);
  // Sent by the page's script (which shows the progress), not as a plain form post.
  expect(posts).toEqual(["xhr"]);
  fs.rmSync(dir, { recursive: true, force: true });
});
