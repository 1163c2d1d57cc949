import { createParser, type EventSourceParser } from "eventsource-parser";

/**
 * Splits a Server-Sent Events byte stream into the `data` payloads of its records, with
 * `eventsource-parser`: it scans each chunk once (a 16 MB record costs one pass, not one rescan
 * per chunk) and keeps a CR that ends one chunk paired with the LF that starts the next.
 */
export class SseDecoder {
  private readonly parser: EventSourceParser;
  private out: string[] = [];

  constructor() {
    this.parser = createParser({ onEvent: (event) => this.out.push(event.data) });
  }

  /** Feeds a chunk of text; returns the payloads of the records it completed. */
  push(chunk: string): string[] {
    this.parser.feed(chunk);
    const completed = this.out;
    this.out = [];
    return completed;
  }
}
