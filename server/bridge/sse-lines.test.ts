import { describe, expect, it } from "vitest";
import { SseDecoder } from "./sse-lines";

describe("SseDecoder", () => {
  it("yields each record's data, whatever the chunking", () => {
    const text = 'data: {"a":1}\n\n: comment\n\ndata: {"b":2}\r\n\r\nid: 3\ndata: x\ndata: y\n\n';
    for (const size of [1, 2, 5, text.length]) {
      const decoder = new SseDecoder();
      const out: string[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...decoder.push(text.slice(i, i + size)));
      expect(out).toEqual(['{"a":1}', '{"b":2}', "x\ny"]);
    }
  });

  it("holds back an unfinished record", () => {
    const decoder = new SseDecoder();
    expect(decoder.push('data: {"a"')).toEqual([]);
    expect(decoder.push(":1}\n\n")).toEqual(['{"a":1}']);
  });
});
