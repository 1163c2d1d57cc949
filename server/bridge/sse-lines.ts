/**
 * Splits a Server-Sent Events byte stream into the `data` payloads of its records.
 * Only what opencode sends is needed: `data:` lines, blank-line record ends, comments ignored.
 */
export class SseDecoder {
  private buffer = "";
  private data: string[] = [];

  /** Feeds a chunk of text; returns the payloads of the records it completed. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\n|\r/)) !== -1) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith("\r\n", newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      if (line === "") {
        if (this.data.length) out.push(this.data.join("\n"));
        this.data = [];
      } else if (line.startsWith("data:")) {
        this.data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
      }
    }
    return out;
  }
}
