import { describe, expect, it } from "vitest";
import { SseDecoder } from "./sse-lines";

const decodeIn = (text: string, size: number) => {
  const decoder = new SseDecoder();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...decoder.push(text.slice(i, i + size)));
  return out;
};

describe("SseDecoder", () => {
  it("yields each record's data, whatever the chunking", () => {
    const text = 'data: {"a":1}\n\n: comment\n\ndata: {"b":2}\r\n\r\nid: 3\ndata: x\ndata: y\n\n';
    for (const size of [1, 2, 5, text.length]) expect(decodeIn(text, size)).toEqual(['{"a":1}', '{"b":2}', "x\ny"]);
  });

  it("holds back an unfinished record", () => {
    const decoder = new SseDecoder();
    expect(decoder.push('data: {"a"')).toEqual([]);
    expect(decoder.push(":1}\n\n")).toEqual(['{"a":1}']);
  });

  it("keeps a CRLF split across two chunks as one line end", () => {
    const decoder = new SseDecoder();
    // Read as two line ends, the lone CR and LF would end the record after its first line.
    expect(decoder.push("data: one\r")).toEqual([]);
    expect(decoder.push("\ndata: two\r")).toEqual([]);
    // The blank line (a CR) ends the record; its LF in the next chunk adds no empty record.
    expect(decoder.push("\n\r")).toEqual(["one\ntwo"]);
    expect(decoder.push("\ndata: three\n\n")).toEqual(["three"]);
  });

  it("decodes a 16 MB record fed in 64 KB chunks whole", () => {
    const payload = JSON.stringify({ type: "message.part.updated", text: "x".repeat(16 * 2 ** 20) });
    const out = decodeIn(`data: ${payload}\r\n\r\ndata: {"after":true}\r\n\r\n`, 64 * 1024);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(payload);
    expect(out[1]).toBe('{"after":true}');
  });
});
