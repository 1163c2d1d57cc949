import http from "node:http";
import { expect, test } from "@playwright/test";
import { query, startSession, unique, waitForRun } from "./helpers";
import { adminCookieHeader } from "./team-fixtures";

// What a hostile web page could make the admin's browser send: it carries the admin's cookie
// but names its own origin (or rebinds its own domain to this machine).

function send(baseURL: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string }) {
  const url = new URL(path, baseURL);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(url, { method: init.method ?? "GET", headers: init.headers }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body }));
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
  const before = await query<{ items: unknown[] }>(request, "session.list", { limit: 100 });
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
  const after = await query<{ items: unknown[] }>(request, "session.list", { limit: 100 });
  expect(after.items).toEqual(before.items);
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
  expect(answer.body).toContain("1024 MB");
  expect(Date.now() - started).toBeLessThan(10_000);
});
