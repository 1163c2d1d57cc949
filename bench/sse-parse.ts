/**
 * How long the app's runner SSE decoder takes on one record as large as the largest runner
 * event the bench sends (opencode's part update carrying a whole 16 MB answer), fed in 64 KB
 * chunks as a socket hands it over; the baseline is JSON.parse of the same payload, which the
 * app does next with every record anyway. A microbenchmark in the bench's process: the decoder
 * is the app's own module (server/bridge/sse-lines.ts).
 */
import { SseDecoder } from "~/server/bridge/sse-lines";

const CHUNK = 64 * 1024;
const RUNS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

export function benchSseParse(megabytes: number) {
  const line = "One line of a very large answer, as a model might stream it.\n";
  const text = line.repeat(Math.ceil((megabytes * 1e6) / line.length)).slice(0, megabytes * 1e6);
  const payload = JSON.stringify({ type: "message.part.updated", properties: { part: { id: "prt_bench", sessionID: "ses_bench", messageID: "msg_bench", type: "text", text } } });
  const record = `data: ${payload}\n\n`;
  const decode = () => {
    const decoder = new SseDecoder();
    const out: string[] = [];
    for (let i = 0; i < record.length; i += CHUNK) out.push(...decoder.push(record.slice(i, i + CHUNK)));
    if (out.length !== 1 || out[0] !== payload) throw new Error("SseDecoder did not give back the record's payload");
  };
  return {
    bytes: Buffer.byteLength(payload),
    decodeMs: median(Array.from({ length: RUNS }, () => timed(decode))),
    jsonParseMs: median(Array.from({ length: RUNS }, () => timed(() => JSON.parse(payload)))),
  };
}
