import { expect, test, type APIRequestContext } from "@playwright/test";
import { mutate, query, startSession, unique } from "./helpers";

// A long session's timeline, read page by page from the server, jumps to its first turn in the
// virtualized live conversation; restore-to-here asks first and says what it would undo; a fork
// and a fork of the fork show in the lineage with the turns they were made at.

type Timeline = { turnCount: number; turns: { index: number; status: string }[] };

/** Waits for turn `index` of the session to finish (a fast turn may never be seen running). */
async function turnDone(request: APIRequestContext, sessionId: string, index: number) {
  await expect
    .poll(async () => {
      const { turns } = await query<Timeline>(request, "session.timeline", { sessionId, limit: 1 });
      return turns[0]?.index === index ? turns[0].status : undefined;
    }, { timeout: 30_000 })
    .toBe("completed");
}

test("a 50-turn timeline jumps to turn 1, restore asks with a preview, forks of forks show in the lineage", async ({ page, request }) => {
  test.setTimeout(240_000);
  // demo:long=1 answers with one delta at once: the quickest real turn the Demo model plays.
  const id = await startSession(request, "Turn 1. demo:long=1", `Timeline ${unique()}`);
  await turnDone(request, id, 1);
  for (let n = 2; n <= 50; n++) {
    await mutate(request, "session.prompt", { sessionId: id, text: `Turn ${n}. demo:long=1` });
    await turnDone(request, id, n);
  }

  await page.goto(`/sessions/${id}`);
  const timeline = page.getByTestId("timeline");
  await expect(timeline).toContainText("50 turns");
  const turns = timeline.getByTestId("timeline-turn");
  await expect(turns).toHaveCount(20);
  await expect(turns.first()).toHaveAttribute("data-turn", "50");
  // Older turns come from the server, a page at a time.
  await timeline.getByRole("button", { name: "Load more" }).click();
  await expect(turns).toHaveCount(40);
  await timeline.getByRole("button", { name: "Load more" }).click();
  await expect(turns).toHaveCount(50);
  await expect(timeline.getByRole("button", { name: "Load more" })).toHaveCount(0);

  // The conversation follows the newest turn; the timeline takes it back to the first.
  const conversation = page.getByTestId("conversation");
  await expect(conversation.locator('[data-turn="50"]')).toBeVisible();
  await expect(conversation.locator('[data-turn="1"]')).toHaveCount(0);
  const turn = (n: number) => page.getByTestId("timeline").locator(`[data-testid=timeline-turn][data-turn="${n}"]`);
  await turn(1).getByRole("link", { name: "Turn 1", exact: true }).click();
  await expect(page).toHaveURL(/#turn-1$/);
  await expect(conversation.locator('[data-turn="1"]')).toBeInViewport();
  await expect(conversation.locator('[data-turn="1"]')).toContainText("Turn 1. demo:long=1");

  // Restore to here: a confirmation listing what would be undone, nothing done until confirmed.
  await turn(1).getByRole("button", { name: "Restore to here" }).click();
  const confirm = turn(1).getByRole("dialog", { name: "Restore to turn 1" });
  await expect(confirm.getByTestId("preview-turns")).toContainText("50 turns undone");
  await expect(confirm.getByTestId("preview-sessions")).toHaveText("No sub-agent session is affected.");
  await expect(confirm.getByTestId("preview-files")).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  expect((await query<Timeline>(request, "session.timeline", { sessionId: id })).turnCount).toBe(50);

  // Fork from turn 3, then fork that fork from its turn 2: each opens the new session's page.
  await turn(3).getByRole("button", { name: "Fork from here" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/sessions/${id}`));
  const forkId = new URL(page.url()).pathname.split("/").pop()!;
  await turn(2).getByRole("button", { name: "Fork from here" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/sessions/${forkId}`));
  const forkOfForkId = new URL(page.url()).pathname.split("/").pop()!;

  // The fork of the fork's page: breadcrumbs back to the origin, and the whole lineage.
  await expect(page.getByTestId("breadcrumbs").getByRole("link")).toHaveText(["Sessions", /Timeline/, /./]);
  const node = (sessionId: string) => page.locator(`[data-testid=lineage-node][data-session-id="${sessionId}"]`);
  await expect(node(id)).toHaveAttribute("data-relation", "origin");
  await expect(node(forkId)).toHaveAttribute("data-relation", "fork");
  await expect(node(forkId).getByTestId("lineage-link").first()).toHaveText("fork at turn 3");
  await expect(node(forkOfForkId)).toHaveAttribute("data-relation", "fork");
  await expect(node(forkOfForkId).getByTestId("lineage-link")).toHaveText("fork at turn 2");
  // Nested: the fork of the fork hangs under the fork.
  await expect(node(forkId).locator(`[data-session-id="${forkOfForkId}"]`)).toHaveCount(1);
});

test("restore to a turn marks what it undid in the live conversation and hides its sub-agents; Undo revert brings them back", async ({ page, request }) => {
  test.setTimeout(150_000);
  const id = await startSession(request, "First. demo:text", `Revert ${unique()}`);
  await turnDone(request, id, 1);
  await mutate(request, "session.prompt", { sessionId: id, text: "Delegate. demo:task" });
  await turnDone(request, id, 2);
  await page.goto(`/sessions/${id}`);
  const turn = (n: number) => page.getByTestId("timeline").locator(`[data-testid=timeline-turn][data-turn="${n}"]`);
  const nodes = page.getByTestId("lineage").getByTestId("lineage-node");
  const reverted = page.locator("[data-testid=user-prompt][data-reverted]");
  await expect(nodes).toHaveCount(2);

  await turn(2).getByRole("button", { name: "Restore to here" }).click();
  const confirm = turn(2).getByRole("dialog", { name: "Restore to turn 2" });
  await expect(confirm.getByTestId("preview-sessions")).toContainText("Sub-agent sessions reverted");
  await confirm.getByRole("button", { name: "Restore" }).click();
  await expect(confirm.getByTestId("restore-result")).toBeVisible({ timeout: 60_000 });
  // Without a reload: the undone turn stays, marked, and its sub-agent leaves the lineage.
  const note = page.getByTestId("reverted-note");
  await expect(note).toContainText("Reverted from turn 2 on");
  await expect(reverted).toHaveCount(1);
  await expect(reverted).toContainText("Delegate. demo:task");
  await expect(nodes).toHaveCount(1);

  await note.getByRole("button", { name: "Undo revert" }).click();
  await expect(note).toHaveCount(0, { timeout: 30_000 });
  await expect(reverted).toHaveCount(0);
  await expect(nodes).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId("user-prompt")).toHaveCount(2);
  await expect(page.getByTestId("reverted-note")).toHaveCount(0);

  // Undo is offered where the revert was confirmed too (the conversation's note may be pages up).
  await turn(2).getByRole("button", { name: "Restore to here" }).click();
  await confirm.getByRole("button", { name: "Restore" }).click();
  await expect(confirm.getByTestId("restore-result")).toContainText("Restored.", { timeout: 60_000 });
  await expect(reverted).toHaveCount(1);
  await confirm.getByTestId("restore-result").getByRole("button", { name: "Undo" }).click();
  await expect(confirm.getByTestId("restore-result")).toContainText("Undone: the turns are back.", { timeout: 30_000 });
  await expect(reverted).toHaveCount(0);
  await expect(nodes).toHaveCount(2);
});

test("a tree deleted from its runner forks from its timeline through the archive, with no restore offered", async ({ page, request }) => {
  test.setTimeout(120_000);
  const title = `Gone ${unique()}`;
  const id = await startSession(request, "First question. demo:long=1", title);
  await turnDone(request, id, 1);
  await mutate(request, "session.prompt", { sessionId: id, text: "Second question. demo:long=1" });
  await turnDone(request, id, 2);
  await mutate(request, "session.delete", { sessionId: id });

  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId("session-header-status")).toHaveAttribute("data-status", "gone");
  const first = page.getByTestId("timeline").locator('[data-testid=timeline-turn][data-turn="1"]');
  await expect(first.getByRole("button", { name: "Fork from here" })).toBeVisible();
  // Restoring reverts on the runner, which no longer has the tree.
  await expect(page.getByTestId("timeline").getByRole("button", { name: "Restore to here" })).toHaveCount(0);
  await first.getByRole("button", { name: "Fork from here" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/sessions/${id}`));
  const forkId = new URL(page.url()).pathname.split("/").pop()!;
  // A live session seeded with turn 1 only, recorded as a fork of the archived tree at that turn.
  const source = await query<{ tree: { forks: { sessionId: string; turnIndex: number }[] } }>(request, "archive.tree", { sessionId: id });
  expect(source.tree.forks).toEqual([expect.objectContaining({ sessionId: forkId, turnIndex: 1 })]);
  const fork = await query<{ deletedAt: string | null }>(request, "session.get", { sessionId: forkId });
  expect(fork.deletedAt).toBeNull();
  await expect(page.getByTestId("conversation")).toContainText("First question.");
  await expect(page.getByTestId("conversation")).not.toContainText("Second question.");
});
