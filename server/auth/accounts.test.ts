import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { loadConfig } from "~/server/config";
import { describeEachDatabase } from "~/server/testing/database";
import { createAuth } from "./auth";
import { resolveCaller } from "./caller";
import { prepareFirstAdmin } from "./first-admin";
import { createInvite } from "./invites";
import { disableMember, setRole } from "./team";

// Accounts through better-auth's own HTTP handler, as the browser reaches it at /api/auth.

describeEachDatabase("accounts", (database) => {
  const cfg = loadConfig({ FLIGHTDECK_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "flightdeck-auth-")) });
  const auth = () => createAuth(database.client, cfg);
  let ip = 0;

  // Each call comes from its own address unless told otherwise, so rate limits stay out of the way.
  function post(route: string, body: unknown, headers: Record<string, string> = {}) {
    return auth().handler(
      new Request(`http://127.0.0.1:3000/api/auth${route}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `10.0.0.${++ip % 250}`, ...headers },
        body: JSON.stringify(body),
      }),
    );
  }
  const cookieOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const callerOf = (cookie: string) => resolveCaller(new Headers({ cookie }), auth());

  it("refuses a sign-up without an invite, and gives an invite's role to the account it makes", async () => {
    const refused = await post("/sign-up/email", { name: "M", email: "m@x.test", password: "password123" });
    expect(refused.status).toBe(403);
    expect(await database.client.user.count({ where: { email: "m@x.test" } })).toBe(0);

    const { token } = await createInvite(database.client, { role: "operator" });
    const made = await post("/sign-up/email", { name: "Olga", email: "Olga@X.test", password: "password123", inviteToken: token });
    expect(made.status).toBe(200);
    const cookie = cookieOf(made);
    expect(made.headers.getSetCookie().join("\n")).toMatch(/flightdeck\.session_token=.*HttpOnly.*SameSite=Lax/i);
    expect(await callerOf(cookie)).toMatchObject({ kind: "user", name: "Olga", email: "olga@x.test", role: "operator" });

    const again = await post("/sign-up/email", { name: "Eve", email: "eve@x.test", password: "password123", inviteToken: token });
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ message: expect.stringContaining("already used") });
  });

  it("marks the cookie Secure when the public address is https", async () => {
    const https = loadConfig({ FLIGHTDECK_DATA_DIR: cfg.dataDir, FLIGHTDECK_PUBLIC_URL: "https://deck.example.com" });
    const { token } = await createInvite(database.client, { role: "viewer" });
    const made = await createAuth(database.client, https).handler(
      new Request("https://deck.example.com/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "10.9.9.9" },
        body: JSON.stringify({ name: "Sec", email: "sec@x.test", password: "password123", inviteToken: token }),
      }),
    );
    expect(made.status).toBe(200);
    expect(made.headers.getSetCookie().join("\n")).toMatch(/__Secure-flightdeck\.session_token=.*Secure/);
  });

  it("stores no password in the clear and signs in with the right one only", async () => {
    const { token } = await createInvite(database.client, { role: "viewer" });
    await post("/sign-up/email", { name: "Vic", email: "vic@x.test", password: "vic password 1", inviteToken: token });
    const account = await database.client.account.findFirstOrThrow({ where: { user: { email: "vic@x.test" } } });
    expect(account.password).not.toContain("vic password 1");
    expect((await post("/sign-in/email", { email: "vic@x.test", password: "wrong password" })).status).toBe(401);
    const ok = await post("/sign-in/email", { email: "vic@x.test", password: "vic password 1" });
    expect(await callerOf(cookieOf(ok))).toMatchObject({ kind: "user", role: "viewer" });
  });

  it("limits sign-in attempts per address", async () => {
    const from = { "x-forwarded-for": "192.0.2.77" };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post("/sign-in/email", { email: "vic@x.test", password: `guess ${i}` }, from)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Another address is not held back.
    expect((await post("/sign-in/email", { email: "vic@x.test", password: "nope" }, { "x-forwarded-for": "192.0.2.78" })).status).toBe(401);
  });

  it("ends a disabled member's sessions at once and lets them sign in no more; role changes apply to the next request", async () => {
    const { token } = await createInvite(database.client, { role: "viewer" });
    const cookie = cookieOf(await post("/sign-up/email", { name: "Dan", email: "dan@x.test", password: "dan password", inviteToken: token }));
    const dan = await database.client.user.findUniqueOrThrow({ where: { email: "dan@x.test" } });
    await setRole(database.client, { userId: dan.id, role: "operator" });
    expect(await callerOf(cookie)).toMatchObject({ role: "operator" });
    await disableMember(database.client, { userId: dan.id });
    expect(await callerOf(cookie)).toEqual({ kind: "anonymous" });
    const again = await post("/sign-in/email", { email: "dan@x.test", password: "dan password" });
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ message: expect.stringContaining("disabled") });
  });

  it("never leaves the team without an admin", async () => {
    const admins = await database.client.user.findMany({ where: { role: "admin" } });
    for (const a of admins) await database.client.user.update({ where: { id: a.id }, data: { role: "viewer" } });
    const { token } = await createInvite(database.client, { role: "admin" });
    await post("/sign-up/email", { name: "Ann", email: "ann@x.test", password: "ann password", inviteToken: token });
    const ann = await database.client.user.findUniqueOrThrow({ where: { email: "ann@x.test" } });
    await expect(setRole(database.client, { userId: ann.id, role: "viewer" })).rejects.toThrow("without an admin");
    await expect(disableMember(database.client, { userId: ann.id })).rejects.toThrow("without an admin");
  });

  it("creates the headless admin once and never overwrites a changed password", async () => {
    const lines: string[] = [];
    const headless = { ...cfg, FLIGHTDECK_ADMIN_EMAIL: "Root@X.test", FLIGHTDECK_ADMIN_PASSWORD: "first password" };
    await prepareFirstAdmin(database.client, auth(), headless, (line) => lines.push(line));
    expect(lines.join("\n")).toContain("created the admin account root@x.test");
    const signIn = (password: string) => post("/sign-in/email", { email: "root@x.test", password });
    const cookie = cookieOf(await signIn("first password"));
    expect(await callerOf(cookie)).toMatchObject({ role: "admin" });
    const changed = await post("/change-password", { currentPassword: "first password", newPassword: "second password" }, { cookie, origin: "http://127.0.0.1:3000" });
    expect(changed.status).toBe(200);
    await prepareFirstAdmin(database.client, auth(), headless, (line) => lines.push(line));
    expect((await signIn("first password")).status).toBe(401);
    expect((await signIn("second password")).status).toBe(200);
    expect(await database.client.user.count({ where: { email: "root@x.test" } })).toBe(1);
  });
});

describeEachDatabase("first start", (database) => {
  const cfg = loadConfig({ FLIGHTDECK_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "flightdeck-auth-")), PORT: "3999" });

  it("prints a setup link while the team is empty; a new start's link replaces the old one", async () => {
    const auth = createAuth(database.client, cfg);
    const lines: string[] = [];
    const first = await prepareFirstAdmin(database.client, auth, cfg, (line) => lines.push(line));
    expect(first.setupUrl).toMatch(/^http:\/\/127\.0\.0\.1:3999\/setup\?token=[\w-]{43}$/);
    expect(lines.join("\n")).toContain(first.setupUrl);
    const second = await prepareFirstAdmin(database.client, auth, cfg, () => {});
    const signUp = (url: string, email: string) =>
      auth.handler(
        new Request("http://127.0.0.1:3999/api/auth/sign-up/email", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "First", email, password: "password123", inviteToken: new URL(url).searchParams.get("token") }),
        }),
      );
    expect((await signUp(first.setupUrl!, "old@x.test")).status).toBe(403);
    expect((await signUp(second.setupUrl!, "first@x.test")).status).toBe(200);
    expect(await database.client.user.findUniqueOrThrow({ where: { email: "first@x.test" } })).toMatchObject({ role: "admin" });
    expect(await prepareFirstAdmin(database.client, auth, cfg, () => {})).toEqual({});
  });
});
