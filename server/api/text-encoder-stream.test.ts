import fc from "fast-check";
import { initTRPC } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { ChunkTextEncoderStream, useChunkTextEncoderStream } from "./text-encoder-stream";

const BuiltIn = globalThis.TextEncoderStream;

async function encodeChunks(stream: TextEncoderStream | ChunkTextEncoderStream, chunks: string[]): Promise<number[][]> {
  const writer = stream.writable.getWriter();
  const out: number[][] = [];
  const reader = stream.readable.getReader();
  const read = (async () => {
    for (let next = await reader.read(); !next.done; next = await reader.read()) out.push([...next.value]);
  })();
  for (const chunk of chunks) await writer.write(chunk);
  await writer.close();
  await read;
  return out;
}

describe("ChunkTextEncoderStream", () => {
  it("writes the built-in's bytes, chunk for chunk, surrogates split across chunks and lone ones included", async () => {
    // Strings of single code units (binary) make every kind of surrogate split likely.
    const chunks = fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), fc.constantFrom("\ud83d", "\ude00", "", "é", "\u0000")), { maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(chunks, async (list) => {
        expect(await encodeChunks(new ChunkTextEncoderStream(), list)).toEqual(await encodeChunks(new BuiltIn(), list));
      }),
      { numRuns: 300 },
    );
    for (const list of [["a\ud83d", "\ude00b"], ["\ud83d"], ["\ud83d", "\ud83d", "x"], ["\ude00"], ["\ud83d", ""], ["", "\ud83d\ude00"]]) {
      expect(await encodeChunks(new ChunkTextEncoderStream(), list)).toEqual(await encodeChunks(new BuiltIn(), list));
    }
  });

  // The replacement works only if tRPC looks the global up per response (not once at import).
  it("is what tRPC's subscription responses encode with: the global, looked up per response", async () => {
    const t = initTRPC.create();
    const record = "é".repeat(4_000_000);
    const router = t.router({
      big: t.procedure.subscription(async function* () {
        yield record;
      }),
    });
    const made: ChunkTextEncoderStream[] = [];
    class Counted extends ChunkTextEncoderStream {
      constructor() {
        super();
        made.push(this);
      }
    }
    useChunkTextEncoderStream();
    expect(globalThis.TextEncoderStream).toBe(ChunkTextEncoderStream);
    globalThis.TextEncoderStream = Counted as unknown as typeof TextEncoderStream;
    try {
      const response = await fetchRequestHandler({ endpoint: "/trpc", req: new Request("http://localhost/trpc/big"), router, createContext: () => ({}) });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      while (!text.includes(record)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      await reader.cancel();
      expect(text).toContain(`data: ${JSON.stringify(record)}`);
      expect(made).toHaveLength(1);
    } finally {
      globalThis.TextEncoderStream = BuiltIn;
    }
  });
});
