import http from "node:http";
import { expect, test } from "@playwright/test";
import { query, startSession, unique, waitForRun } from "./helpers";
import { adminCookieHeader } from "./team-fixtures";

// What a hostile web page could make the admin's browser send: it carries the admin's cookie
// but names its own origin (or rebinds its own domain to this machine).

function send(baseURL: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string }) {
  const url = new URL(path, baseURL);
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const request = http.request(url, { method: init.method ?? "GET", headers: init.headers }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body, headers: response.headers }));
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

test("a request naming another host is refused, pages and API alike (DNS rebinding)", async ({ baseURL }) => {
  for (const path of ["/", "/api/health", "/api/trpc/session.list", "/api/auth/get-session"]) {
    const response = await send(baseURL!, path, { headers: { host: "evil.example", cookie: adminCookieHeader() } });
    expect(response.status, path).toBe(421);
    expect(response.body).toContain('"evil.example"');
  }
  const port = new URL(baseURL!).port;
  expect((await send(baseURL!, "/api/health", { headers: { host: `localhost:${port}` } })).status).toBe(200);
});

test("cross-site form posts and cross-origin mutations get 403 and change nothing", async ({ baseURL, request }) => {
  const sessionId = await startSession(request, "demo:text", `envelope ${unique()}`);
  await waitForRun(request, sessionId, 60_000);
  // What an attack could change (the run's last token counts may still land meanwhile).
  type Item = { id: string; title: string; deletedAt: string | null };
  const sessions = async () => (await query<{ items: Item[] }>(request, "session.list", { limit: 100 })).items.map((s) => [s.id, s.title, s.deletedAt]);
  const before = await sessions();
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const attacks: [string, Record<string, string>, string][] = [
    [`/api/archive/${sessionId}/purge`, form, `confirm=${sessionId}`],
    [`/api/archive/${sessionId}/fork`, form, ""],
    [`/api/archive/${sessionId}/sync`, form, ""],
    ["/api/archive/retention", form, "days=1"],
    ["/api/archive/import", { "content-type": "multipart/form-data; boundary=x" }, "--x--"],
    ["/api/auth/sign-in/email", { "content-type": "application/json" }, JSON.stringify({ email: "ada@flightdeck.test", password: "x" })],
    ["/api/auth/change-password", { "content-type": "application/json" }, JSON.stringify({ currentPassword: "a", newPassword: "bbbbbbbbbbbb" })],
    ["/api/trpc/session.create", { "content-type": "application/json" }, JSON.stringify({ json: { runnerId: sessionId, directory: "/tmp" } })],
    ["/api/trpc/session.delete", { "content-type": "application/json" }, JSON.stringify({ json: { sessionId } })],
  ];
  for (const [path, headers, body] of attacks) {
    for (const hostile of <Record<string, string>[]>[{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }]) {
      const response = await send(baseURL!, path, { method: "POST", headers: { ...headers, ...hostile, cookie: adminCookieHeader() }, body });
      expect(response.status, `${path} ${JSON.stringify(hostile)}`).toBe(403);
    }
  }
  expect(await sessions()).toEqual(before);
  expect((await query<{ deletedAt: string | null }>(request, "session.get", { sessionId })).deletedAt).toBeNull();
});

test("a malformed session address answers 400, and the proxy never fetches from the Host a client names", async ({ baseURL, page }) => {
  const malformed = await page.goto("/sessions/%zz");
  expect(malformed?.status()).toBe(400);
  // Even an allowed name with another port is this server's own check, not a fetch from that port.
  const response = await send(baseURL!, "/sessions/00000000-0000-4000-8000-000000000000", {
    headers: { host: "127.0.0.1:9", cookie: adminCookieHeader(), accept: "text/html" },
  });
  expect(response.status).toBe(404);
});

test("an oversized import is refused by its declared size before its body is sent", async ({ baseURL }) => {
  const url = new URL("/api/archive/import", baseURL);
  const started = Date.now();
  const answer = await new Promise<{ status: number; body: string }>((resolve) => {
    const request = http.request(url, {
      method: "POST",
      headers: {
        cookie: adminCookieHeader(),
        accept: "application/json",
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(50 * 1024 ** 3),
      },
    });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode!, body });
        request.destroy();
      });
    });
    // Destroying the request after the answer ends the upload; that is not a failure here.
    request.on("error", () => undefined);
    // A few bytes of the 50 GB it announced, then nothing: the answer must not wait for the rest.
    request.write("--x\r\n");
  });
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.body).message).toBe("Uploads are limited to 1 GB (this one is 50 GB).");
  expect(Date.now() - started).toBeLessThan(10_000);
});

test("every answer forbids framing and sniffing: pages, API routes, a 404, the envelope's own refusals", async ({ baseURL }) => {
  const cookie = adminCookieHeader();
  const cases: [string, Parameters<typeof send>[2], number][] = [
    ["/", { headers: { cookie } }, 200],
    ["/archive", { headers: { cookie } }, 200],
    ["/api/health", {}, 200],
    [`/api/trpc/session.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, { headers: { cookie } }, 200],
    ["/api/archive/00000000-0000-4000-8000-000000000000/export", { headers: { cookie } }, 404],
    ["/no-such-page", { headers: { cookie } }, 404],
    ["/", { headers: { host: "evil.example", cookie } }, 421],
    ["/api/archive/retention", { method: "POST", headers: { origin: "https://evil.example", cookie }, body: "" }, 403],
    ["/api/archive/import", { method: "POST", headers: { host: "evil.example", cookie }, body: "" }, 421],
  ];
  for (const [path, init, status] of cases) {
    const response = await send(baseURL!, path, init);
    const what = `${init.method ?? "GET"} ${path} (${status})`;
    expect(response.status, what).toBe(status);
    expect(response.headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
    expect(response.headers["x-frame-options"], what).toBe("DENY");
    expect(response.headers["referrer-policy"], what).toBe("same-origin");
    expect(response.headers["x-content-type-options"], what).toBe("nosniff");
  }
});

test("a link cannot make the Archive page say what it wants; a refused upload shows the page's own sentence", async ({ page, baseURL }) => {
  await page.goto("/archive?error=Call+this+number&result=Call+this+number&import=Call+this+number");
  await expect(page.getByRole("heading", { name: "Import an opencode database" })).toBeVisible();
  await expect(page.getByText("Call this number")).toHaveCount(0);
  await expect(page.getByTestId("import-error")).toHaveCount(0);
  await expect(page.getByTestId("import-result")).toHaveCount(0);

  // The form posts from 127.0.0.1 and comes back to 127.0.0.1, where the admin's cookie is.
  await page.getByLabel("opencode database file").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("Call this number") });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("import-error")).toHaveText(/the file is not a readable opencode database/);
  expect(page.url()).toBe(`${baseURL}/archive?import=invalid&refused=not-opencode`);
  await expect(page.getByText("Call this number")).toHaveCount(0);
});

test("form posts redirect within the origin the user is on", async ({ page, baseURL }) => {
  await page.goto("/archive");
  const embedded = page.locator('[data-testid=runner-retention][data-runner="embedded"]');
  await embedded.getByLabel("Retention days for embedded").fill("");
  await embedded.getByRole("button", { name: "Save" }).click();
  await expect(page.locator('[data-testid=runner-retention][data-runner="embedded"]')).toContainText("global");
  expect(page.url()).toBe(`${baseURL}/archive`);
  // The redirect itself names no host: a post to localhost comes back to localhost, and so on.
  const runnerId = await embedded.locator("input[name=runnerId]").inputValue();
  const response = await send(baseURL!, "/api/archive/retention", {
    method: "POST",
    headers: { cookie: adminCookieHeader(), "content-type": "application/x-www-form-urlencoded", host: `localhost:${new URL(baseURL!).port}` },
    body: `runnerId=${runnerId}&days=`,
  });
  expect(response.status).toBe(303);
  expect(response.headers.location).toBe("/archive");
});

test("a batched request of more than 20 procedures is refused before any runs", async ({ request }) => {
  const batch = (n: number) => `/api/trpc/${Array(n).fill("health.check").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`;
  const within = await request.get(batch(20));
  expect(within.status()).toBe(200);
  expect(await within.json()).toHaveLength(20);
  const over = await request.get(batch(200));
  expect(over.status()).toBe(400);
  expect((await over.json()).error.json.message).toBe("A batched request may call at most 20 procedures; this one calls 200.");
  const posted = await request.post(batch(21), { data: {} });
  expect(posted.status()).toBe(400);
});

test("a password form cannot be sent before its script runs: the browser would put the password in the address", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("ada@flightdeck.test");
  await page.getByLabel("Password").fill("not in any address");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
  // Enter in a field submits a form whose default button is enabled; this one stays put.
  await page.getByLabel("Password").press("Enter");
  await page.waitForLoadState();
  expect(page.url()).not.toContain("password");
  await context.close();

  // A choice made before the script runs would be reset to the default (an invite's role): the
  // admin's forms wait for it.
  const admin = await browser.newContext({ javaScriptEnabled: false, storageState: test.info().project.use.storageState as string });
  const team = await admin.newPage();
  await team.goto("/team");
  await expect(team.getByLabel("Role of the invite")).toBeDisabled();
  await admin.close();
});
