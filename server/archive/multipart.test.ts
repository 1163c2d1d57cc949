import { describe, expect, it } from "vitest";
import { boundaryOf, readMultipart, type PartHeaders } from "./multipart";

async function parse(body: Buffer, boundary: string, chunkSize: number) {
  const parts: { headers: PartHeaders; body: string }[] = [];
  async function* chunks() {
    for (let at = 0; at < body.length; at += chunkSize) yield body.subarray(at, at + chunkSize);
  }
  await readMultipart(chunks(), boundary, {
    start: (headers) => void parts.push({ headers, body: "" }),
    data: (chunk) => void (parts.at(-1)!.body += chunk.toString("latin1")),
    end: () => {},
  });
  return parts;
}

describe("readMultipart", () => {
  it("reads fields and a file the same however the body is split, a delimiter look-alike included", async () => {
    const request = new Request("http://x/", { method: "POST", body: (() => {
      const form = new FormData();
      form.set("runnerName", "gpu box");
      form.set("file", new File(["SQLite\r\n--not the boundary\r\n-", "\0\xff".repeat(100)], "opencode.db"));
      return form;
    })() });
    const body = Buffer.from(await request.arrayBuffer());
    const boundary = boundaryOf(request.headers.get("content-type"))!;
    const whole = await parse(body, boundary, body.length);
    expect(whole.map((p) => p.headers)).toEqual([{ name: "runnerName" }, { name: "file", filename: "opencode.db" }]);
    expect(whole[0]!.body).toBe("gpu box");
    expect(Buffer.from(whole[1]!.body, "latin1").toString("utf8")).toBe(`SQLite\r\n--not the boundary\r\n-${"\0\xff".repeat(100)}`);
    for (const size of [1, 7, 64]) expect(await parse(body, boundary, size)).toEqual(whole);
  });

  it("refuses a body that ends before its closing delimiter", async () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\nhalf a file');
    await expect(parse(body, "b", 8)).rejects.toThrow(/ended before it was complete/);
  });

  it("finds the boundary in the content type", () => {
    expect(boundaryOf('multipart/form-data; boundary="abc def"')).toBe("abc def");
    expect(boundaryOf("multipart/form-data; boundary=----x1")).toBe("----x1");
    expect(boundaryOf("application/octet-stream")).toBeUndefined();
  });
});
