/**
 * A full garbage collection in another Node process, asked for through its inspector: what the
 * bench reads as memory a thing holds (viewers, for one) is then not the garbage its arrival
 * left, which V8 takes back only when it next needs room (an idle app may not for minutes).
 * SIGUSR1 opens a Node process's inspector on 127.0.0.1:9229; this speaks just enough of the
 * DevTools protocol, over just enough of a WebSocket (RFC 6455), to ask for one collection.
 * Node 20 has no WebSocket client of its own, and the bench adds no dependency for this.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";

const INSPECTOR_PORT = 9229;

/** Opens the inspector of process `pid` (once) and returns a function that collects its garbage. */
export async function inspectorOf(pid: number): Promise<{ collectGarbage: () => Promise<void>; close: () => void }> {
  process.kill(pid, "SIGUSR1");
  const target = await debuggerUrl();
  const { socket, rest } = await upgrade(new URL(target));
  let nextId = 0;
  const waiting = new Map<number, () => void>();
  readFrames(socket, rest, (text) => {
    const { id } = JSON.parse(text) as { id?: number };
    if (id !== undefined) waiting.get(id)?.(), waiting.delete(id);
  });
  const call = (method: string) =>
    new Promise<void>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, resolve);
      socket.once("close", () => reject(new Error(`the inspector of process ${pid} closed during ${method}`)));
      socket.write(frame(JSON.stringify({ id, method })));
    });
  return { collectGarbage: () => call("HeapProfiler.collectGarbage"), close: () => socket.destroy() };
}

async function debuggerUrl(): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
      if (targets[0]) return targets[0].webSocketDebuggerUrl;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no inspector answered on 127.0.0.1:${INSPECTOR_PORT}: ${error instanceof Error ? error.message : error}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The socket, upgraded, and what came after the server's answer. */
function upgrade(url: URL): Promise<{ socket: net.Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.once("error", reject);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      if (!/^HTTP\/1\.1 101/.test(head.toString("latin1"))) return reject(new Error(`the inspector refused the WebSocket: ${head.toString("latin1", 0, end)}`));
      resolve({ socket, rest: head.subarray(end + 4) });
    };
    socket.on("data", onData);
  });
}

/** A client's text frame: final, masked (clients must mask). */
function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, 0x80 | length]) : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
  if (length >= 65_536) throw new Error("a DevTools message this long is not needed here");
  const mask = randomBytes(4);
  for (let i = 0; i < length; i++) payload[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, payload]);
}

/** The server's frames (never masked), each text frame's payload to `onText`. */
function readFrames(socket: net.Socket, rest: Buffer, onText: (text: string) => void) {
  let buffer = rest;
  const read = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      let length = buffer[1]! & 0x7f;
      let at = 2;
      if (length === 126) [length, at] = [buffer.length >= 4 ? buffer.readUInt16BE(2) : -1, 4];
      else if (length === 127) [length, at] = [buffer.length >= 10 ? Number(buffer.readBigUInt64BE(2)) : -1, 10];
      if (length < 0 || buffer.length < at + length) return;
      if ((buffer[0]! & 0x0f) === 1) onText(buffer.toString("utf8", at, at + length));
      buffer = buffer.subarray(at + length);
    }
  };
  socket.on("data", read);
  read(Buffer.alloc(0));
}
