import fc from "fast-check";
import { expect, it } from "vitest";
import { assistantMessage, delta, sessionUpdated, textPart, userMessage } from "./fixtures/raw";
import { Normalizer } from "./normalizer";
import { SessionEvent } from "./session-event";

// A text delta skips the schema on its way through the normalizer (thousands a second reach
// it): what comes out must be exactly what the schema's parse gives, down to the key order
// viewers receive it in.

it("stamps a text delta exactly as the SessionEvent schema parses it", () => {
  const normalizer = new Normalizer();
  for (const event of [sessionUpdated("ses_a"), userMessage("ses_a", "msg_1"), assistantMessage("ses_a", "msg_2", "msg_1"), textPart("ses_a", "msg_2", "prt_1")]) {
    normalizer.push(event);
  }
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      const [event, ...rest] = normalizer.push(JSON.stringify(delta("ses_a", "msg_2", "prt_1", text))).events;
      expect(rest).toEqual([]);
      expect(event?.kind).toBe("part.delta");
      const parsed = SessionEvent.parse(event);
      expect(event).toStrictEqual(parsed);
      expect(JSON.stringify(event)).toBe(JSON.stringify(parsed));
    }),
    { numRuns: 300 },
  );
});
