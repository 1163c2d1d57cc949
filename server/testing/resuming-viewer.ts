import { sessionChunks, type Live } from "./live";
import { StreamViewer } from "./stream-viewer";

/** A `StreamViewer` subscribing in-process, through the tRPC caller of `startLive`. */
export class ResumingViewer extends StreamViewer {
  constructor(live: Live, sessionId: string, opencodeId: string) {
    super((lastEventId, signal) => sessionChunks(live, sessionId, lastEventId, signal), opencodeId);
  }
}
