import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { ArchiveError, archiveErrorResponse } from "./errors";
import { importUpload } from "./import-upload";
import { subagentRunRows, writeOpencodeDb } from "./testing";

// The upload over real HTTP, as the route handler serves it (its admin check and redirects aside).
describeEachDatabase("import upload", (database) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-upload-test-"));
  const tmpDir = path.join(scratch, "tmp");
  // Well above what the process's RSS moves by on its own (tens of MB on a busy machine), so a
  // server that kept what it read would show.
  const cappedAt = 64 * 1024 * 1024;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    fs.mkdirSync(tmpDir);
    server = http.createServer(async (req, res) => {
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])));
      // The Node request itself as the body, as Next's route handlers get it (fromNodeNextRequest).
      const request = new Request(`http://127.0.0.1${req.url}`, { method: "POST", headers, body: req as unknown as BodyInit, duplex: "half" } as RequestInit);
      const maxBytes = req.url === "/capped" ? cappedAt : undefined;
      const response = await importUpload(request, { db: database.client, tmpDir, maxBytes }).then(
        (report) => Response.json(report),
        (error: unknown) => (error instanceof ArchiveError ? archiveErrorResponse(error) : Response.json({ message: String(error) }, { status: 500 })),
      );
      res.writeHead(response.status, { "content-type": "application/json", connection: "close" }).end(await response.text());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const upload = async (content: Buffer, name: string) => {
    const form = new FormData();
    form.set("file", new File([new Uint8Array(content)], name));
    form.set("runnerName", `uploaded-${name}-${database.target}`);
    const response = await fetch(`${base}/`, { method: "POST", body: form });
    return { status: response.status, body: await response.text() };
  };

  /** Sends the start of a multipart upload, then 1 MB chunks while the server keeps reading. */
  const sendHuge = (pathname: string, headers: http.OutgoingHttpHeaders, maxChunks: number) =>
    new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
      let sentBytes = 0;
      let answered = false;
      const req = http.request(`${base}${pathname}`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=b", ...headers } });
      req.on("response", (res) => {
        answered = true;
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () => (resolve({ status: res.statusCode!, body, sentBytes }), req.destroy()));
      });
      req.on("error", (error) => !answered && reject(error));
      const send = (chunk: Buffer) => ((sentBytes += chunk.length), req.write(chunk));
      send(Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="big.db"\r\n\r\n'));
      const chunk = Buffer.alloc(1024 * 1024, 7);
      let sent = 0;
      const more = () => {
        if (answered || req.destroyed) return;
        if (sent++ >= maxChunks) return req.end();
        if (send(chunk)) setImmediate(more);
        else req.once("drain", more);
      };
      // A slow start: an answer that needs the body cannot come before it.
      setTimeout(more, 200);
    });

  it("refuses an upload by its Content-Length before its body is sent", async () => {
    const rssBefore = process.memoryUsage().rss;
    const answer = await sendHuge("/", { "content-length": String(50 * 1024 * 1024 * 1024) }, 0);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).message).toBe("Uploads are limited to 1 GB (this one is 50 GB).");
    expect(answer.sentBytes).toBeLessThan(1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(20 * 1024 * 1024);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });

  it("without a Content-Length, stops reading at the cap and deletes what it wrote, holding none of it in memory", async () => {
    const rssBefore = process.memoryUsage().rss;
    const answer = await sendHuge("/capped", { "transfer-encoding": "chunked" }, 400);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).message).toBe("Uploads are limited to 64 MB.");
    expect(answer.sentBytes).toBeLessThan(200 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(cappedAt);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });

  it("refuses a file that is not SQLite, or a damaged one, naming the upload and never its temp path", async () => {
    const notSqlite = await upload(Buffer.from("hello, not a database"), "notes.txt");
    expect(notSqlite.status).toBe(400);
    expect(JSON.parse(notSqlite.body).message).toBe('"notes.txt" is not an opencode database: it is not a SQLite file.');

    const file = path.join(scratch, "damaged.db");
    writeOpencodeDb(file, subagentRunRows());
    const bytes = fs.readFileSync(file);
    // Scribble over every page after the first (the header stays valid).
    for (let at = 4096; at < bytes.length; at += 97) bytes[at] = 0xa5;
    const damaged = await upload(bytes, "damaged.db");
    expect(damaged.status).toBe(400);
    expect(JSON.parse(damaged.body).message).toMatch(/^"damaged.db" is not an opencode database: /);

    for (const body of [notSqlite.body, damaged.body]) expect(body).not.toContain(tmpDir);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });

  it("imports a valid opencode.db, and removes the upload afterwards", async () => {
    const file = path.join(scratch, "opencode.db");
    writeOpencodeDb(file, subagentRunRows());
    const answer = await upload(fs.readFileSync(file), "opencode.db");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ trees: 1, sessions: 3, failed: [] });
    expect(answer.body).not.toContain(tmpDir);
    const runner = await database.client.runner.findUniqueOrThrow({ where: { name: `uploaded-opencode.db-${database.target}` } });
    expect(runner.url).toBe("upload:opencode.db");
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });
});
