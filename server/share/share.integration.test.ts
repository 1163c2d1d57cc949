import { exportHtmlFile } from "~/components/archive/export-file";
import { textStream } from "~/server/archive/download-response";
import { exportJsonText } from "~/server/archive/export";
import { treeSource } from "~/server/archive/export-source";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { hashToken } from "~/server/auth/tokens";
import { FAKE_SECRETS } from "~/server/model/fake-secrets";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, type Live } from "~/server/testing/live";
import { resolveShareToken, type ShareClient } from "./access";
import { BAD_TOKENS_PER_WINDOW } from "./rate-limit";

// Share links against the real runner: a depth-2 tree with parallel sub-agents and a tree whose
// agent printed secrets, shared, read through the share procedures as a link's reader.

describeEachDatabase("share links with the real runner", (database) => {
  let live: Live;
  let treeId: string;
  let secretsId: string;
  let runnerPassword: string;
  let address = 0;
  const client = (): ShareClient => ({ address: `10.1.0.${++address % 250}`, userAgent: "vitest" });

  /** The tRPC caller a link's reader gets, or null when the token does not open. */
  async function reader(token: string, from = client()) {
    const caller = await resolveShareToken(live.services.db, token, from);
    return caller && createCaller(createInnerContext({ caller, services: async () => live.services }));
  }
  const share = async (sessionId: string, options: Partial<Parameters<Live["api"]["share"]["create"]>[0]> = {}) =>
    live.api.share.create({ sessionId, ...options });
  const tokenOf = (path: string) => path.split("/").at(-1)!;

  beforeAll(async () => {
    live = await startLive(database.client);
    runnerPassword = (await live.services.runners.passwords())[0]!;
    treeId = (await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Shared tree" })).id;
    await live.api.session.prompt({ sessionId: treeId, text: "Two helpers at once. demo:parallel" });
    await waitForIdleTree(live.services, treeId, 90_000);
    await live.api.session.prompt({ sessionId: treeId, text: "Then delegate deeper. demo:task=2" });
    await waitForIdleTree(live.services, treeId, 90_000);
    secretsId = (await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Leaky" })).id;
    await live.api.session.prompt({ sessionId: secretsId, text: "Show me the config. demo:secrets" });
    await waitForIdleTree(live.services, secretsId, 90_000);
  }, 300_000);

  afterAll(async () => {
    await live?.stop();
  });

  it("shares the whole tree read-only: every sub-agent at any depth, nothing of another tree", async () => {
    const made = await share(treeId);
    expect(tokenOf(made.path).length).toBeGreaterThanOrEqual(22); // 128 bits of base64url at least
    expect(made.expiresAt!.getTime() - Date.now()).toBeGreaterThan(7 * 24 * 3_600_000 - 60_000);
    const stored = await database.client.shareLink.findUniqueOrThrow({ where: { id: made.id } });
    expect(stored.tokenHash).toBe(hashToken(tokenOf(made.path)));
    expect(JSON.stringify(stored)).not.toContain(tokenOf(made.path));
    // The audit log says a link was made, never its token.
    const audit = await database.client.auditEvent.findMany({ where: { action: "share.create", sessionId: treeId } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(tokenOf(made.path));

    const api = (await reader(tokenOf(made.path)))!;
    const { tree, stats } = await api.share.view({ sessionId: treeId });
    const all = await database.client.session.findMany({ where: { rootId: treeId }, select: { id: true } });
    expect(all.length).toBeGreaterThanOrEqual(5); // root, two parallel children, a child and a grandchild
    expect(Object.keys(tree.sessions).sort()).toEqual(all.map((s) => s.id).sort());
    expect(stats.subAgents).toBe(all.length - 1);
    expect(tree.forks).toEqual([]);

    // Another tree's ids are refused, by every share procedure.
    await expect(api.share.view({ sessionId: secretsId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api.share.openDownload({ sessionId: secretsId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const events = await api.share.events({ sessionId: secretsId });
    await expect(events[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: "FORBIDDEN" });
    // And nothing a team member can call opens to a reader.
    await expect(api.session.get({ sessionId: treeId })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(api.archive.tree({ sessionId: treeId })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(api.share.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("leaves out what the link does not include", async () => {
    const made = await share(treeId, { include: { subAgents: false, toolOutputs: false, reasoning: false } });
    const api = (await reader(tokenOf(made.path)))!;
    const { tree } = await api.share.view({ sessionId: treeId });
    expect(Object.keys(tree.sessions)).toEqual([treeId]);
    const tools = tree.root.turns.flatMap((t) => t.messages.flatMap((m) => m.parts.flatMap((p) => (p.tool ? [p.tool] : []))));
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((t) => t.output === null && t.childSessionId === null)).toBe(true);
    const child = await database.client.session.findFirstOrThrow({ where: { rootId: treeId, id: { not: treeId } } });
    await expect(api.share.view({ sessionId: child.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("redacts every secret the agent printed, in the view and in both downloads; the team's own view keeps them", async () => {
    const secrets = [...Object.values(FAKE_SECRETS), runnerPassword];
    const own = JSON.stringify(await live.api.archive.tree({ sessionId: secretsId }));
    // The run really carried them (the PEM key is stored with escaped line breaks in JSON).
    for (const value of [FAKE_SECRETS.githubToken, FAKE_SECRETS.anthropicApiKey, runnerPassword]) expect(own).toContain(value);

    const api = (await reader(tokenOf((await share(secretsId)).path)))!;
    const shared = await api.share.view({ sessionId: secretsId });
    const view = JSON.stringify(shared);
    // Both files as the download route writes them: the outline, then the parts a batch at a time.
    const { downloadId, tree } = await api.share.openDownload({ sessionId: secretsId });
    const parts = (partIds: string[]) => api.share.downloadParts({ downloadId, partIds });
    const json = await new Response(textStream(exportJsonText(treeSource(tree, parts)))).text();
    const html = await new Response(exportHtmlFile(treeSource(tree, parts))).text();
    expect(json).toContain("[redacted");
    expect(view).toContain("[redacted");
    for (const bytes of [view, json, html]) {
      for (const value of secrets) {
        for (const line of value.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"))) expect(bytes).not.toContain(line);
      }
    }
  });

  it("ends a reader's next request and open stream within a second of a revoke; an expired link alike", async () => {
    for (const end of ["revoke", "expire"] as const) {
      const made = await share(treeId);
      const api = (await reader(tokenOf(made.path)))!;
      const stream = await api.share.events({ sessionId: treeId });
      const first = stream[Symbol.asyncIterator]();
      await first.next(); // the stream is open (its first notice: read what you show now)
      const ended = (async () => {
        try {
          while (!(await first.next()).done);
          return "completed";
        } catch (error) {
          return (error as { code?: string }).code;
        }
      })();
      const at = Date.now();
      if (end === "revoke") await live.api.share.revoke({ linkId: made.id });
      else await database.client.shareLink.update({ where: { id: made.id }, data: { expiresAt: new Date() } });
      expect(await ended).toBe("NOT_FOUND");
      expect(Date.now() - at).toBeLessThan(1_000);
      await expect(api.share.view({ sessionId: treeId })).rejects.toMatchObject({ code: "NOT_FOUND", message: "This link is not available." });
      expect(await reader(tokenOf(made.path))).toBeNull();
      const listed = await live.api.share.list({ sessionId: treeId });
      expect(listed.find((l) => l.id === made.id)?.state).toBe(end === "revoke" ? "revoked" : "expired");
    }
  });

  it("switches every link off at once and restores them when switched on", async () => {
    const token = tokenOf((await share(treeId, { expiresInHours: "never" })).path);
    await live.api.share.setEnabled({ enabled: false });
    try {
      expect(await reader(token)).toBeNull();
      expect((await live.api.share.list()).every((l) => l.state !== "active")).toBe(true);
    } finally {
      await live.api.share.setEnabled({ enabled: true });
    }
    expect(await reader(token)).not.toBeNull();
  });

  it("counts each viewer once a day and limits bad tokens per address", async () => {
    const made = await share(treeId);
    const token = tokenOf(made.path);
    const alice = client();
    for (let i = 0; i < 3; i++) await resolveShareToken(database.client, token, alice, { countView: true });
    await resolveShareToken(database.client, token, client(), { countView: true });
    const listed = (await live.api.share.list({ sessionId: treeId })).find((l) => l.id === made.id)!;
    expect(listed.viewCount).toBe(2);
    expect(listed.lastViewedAt).not.toBeNull();

    const guesser = client();
    for (let i = 0; i < BAD_TOKENS_PER_WINDOW; i++) expect(await reader(`guess-${i}`, guesser)).toBeNull();
    // Past the limit even a good token is refused from that address, and only from that one.
    expect(await reader(token, guesser)).toBeNull();
    expect(await reader(token, client())).not.toBeNull();
  });
});
