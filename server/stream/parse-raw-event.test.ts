import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sessionUpdated, textPart, userMessage } from "./fixtures/raw";
import { MAX_EVENT_CHARS, parseRawEvent } from "./parse-raw-event";
import { RawEvent } from "./raw-event";

const codeOf = (input: unknown) => {
  const result = parseRawEvent(input);
  return result.ok ? "ok" : result.reason.code;
};

describe("parseRawEvent", () => {
  it("accepts an event as an object, as JSON text, and wrapped by /global/event", () => {
    const event = userMessage("ses_a", "msg_1");
    expect(codeOf(event)).toBe("ok");
    expect(codeOf(JSON.stringify(event))).toBe("ok");
    expect(codeOf({ directory: "/w", payload: event })).toBe("ok");
  });

  it("classifies global noise and unknown types as ignorable, not as errors", () => {
    for (const type of ["server.connected", "server.heartbeat", "plugin.added", "catalog.updated", "lsp.updated", "file.edited", "installation.updated", "session.diff", "session.next.text.delta", "some.future.event"]) {
      expect(codeOf({ id: "evt_1", type, properties: { sessionID: "ses_a" } }), type).toBe("ignored");
    }
  });

  it("refuses malformed input without throwing", () => {
    const cyclic: Record<string, unknown> = { type: "session.idle" };
    cyclic.properties = cyclic;
    const cases: [unknown, string][] = [
      ["{not json", "malformed"],
      ["", "malformed"],
      [undefined, "malformed"],
      [null, "malformed"],
      [42, "malformed"],
      [[userMessage("ses_a", "m")], "malformed"],
      [{ type: "session.idle" }, "malformed"],
      [{ type: 5, properties: {} }, "malformed"],
      [cyclic, "malformed"],
      [{ type: "session.idle", properties: { n: 10n } }, "malformed"],
      [() => 1, "malformed"],
    ];
    for (const [input, code] of cases) expect(codeOf(input), String(input)).toBe(code);
  });

  it("bounds size and nesting", () => {
    const huge = textPart("ses_a", "msg_1", "prt_1", "x".repeat(MAX_EVENT_CHARS));
    expect(codeOf(huge)).toBe("too_large");
    let deep: unknown = "leaf";
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(codeOf({ type: "session.idle", properties: { sessionID: "ses_a", deep } })).toBe("too_deep");
    const deepText = `{"type":"session.idle","properties":{"sessionID":"ses_a","d":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    expect(codeOf(deepText)).toBe("too_deep");
    // Too deep even to serialize: refused, not thrown.
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(codeOf({ type: "session.idle", properties: { sessionID: "ses_a", deep } })).toBe("malformed");
    // Brackets inside strings are text, not nesting.
    expect(codeOf(textPart("ses_a", "msg_1", "prt_1", "[".repeat(1000)))).toBe("ok");
    // ...and so are escaped quotes, however many backslashes precede them.
    expect(codeOf(textPart("ses_a", "msg_1", "prt_1", `\\"${"[".repeat(1000)}\\\\"${"{".repeat(1000)}`))).toBe("ok");
  });

  it("names what is wrong with a consumed event, with its ids", () => {
    const bad = userMessage("ses_a", "msg_1");
    (bad.properties.info as Record<string, unknown>).role = "robot";
    expect(parseRawEvent({ ...bad, id: "evt_9" })).toEqual({
      ok: false,
      reason: expect.objectContaining({ code: "invalid_shape", type: "message.updated", eventId: "evt_9", sessionId: "ses_a", message: expect.stringContaining("info.role") }),
    });
    expect(codeOf({ type: "session.error", properties: { error: { name: "UnknownError", data: { message: "x" } } } })).toBe("unroutable");
  });

  it("refuses events whose inner ids contradict the session they are routed by", () => {
    const event = textPart("ses_a", "msg_1", "prt_1");
    event.properties.sessionID = "ses_b";
    expect(codeOf(event)).toBe("invalid_shape");
    expect(codeOf(sessionUpdated("ses_a", "not-a-string-parent".length as unknown as string))).toBe("invalid_shape");
  });

  it("tolerates malformed cosmetic fields instead of dropping the event", () => {
    const event = sessionUpdated("ses_a", undefined, { title: 7, tokens: "lots", model: [] });
    const result = parseRawEvent(event);
    expect(result.ok && result.event.type === "session.updated" && result.event.properties.info.title).toBeUndefined();
    expect(result.ok).toBe(true);
  });

  it("copies objects, so mutating the input afterwards changes nothing", () => {
    const event = textPart("ses_a", "msg_1", "prt_1", "before");
    const result = parseRawEvent(event);
    event.properties.part.text = "after";
    expect(result.ok && result.event.type === "message.part.updated" && result.event.properties.part.text).toBe("before");
  });

  it("checks a text delta by hand exactly as the RawEvent schema does: same event, same refusals", () => {
    const value = fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant(null), fc.constant(undefined), fc.array(fc.string(), { maxLength: 2 }));
    // Mostly well-formed, with the schema's bounds on either side, sometimes anything.
    const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: value, weight: 1 });
    const id = mostly(fc.constantFrom("msg_1", "prt_1", "i", "", "x".repeat(512), "x".repeat(513)));
    const delta = fc.record(
      {
        id: value,
        type: fc.constant("message.part.delta"),
        extra: value,
        properties: fc.record(
          { sessionID: mostly(fc.constant("ses_a")), messageID: id, partID: id, field: mostly(fc.constantFrom("text", "", "x".repeat(64), "x".repeat(65))), delta: mostly(fc.string()), other: value },
          { requiredKeys: ["sessionID"] },
        ),
      },
      { requiredKeys: ["type", "properties"] },
    );
    fc.assert(
      fc.property(delta, (event) => {
        const schema = RawEvent.safeParse(JSON.parse(JSON.stringify(event)));
        const result = parseRawEvent(JSON.stringify(event));
        // No session to route by: refused before any schema.
        expect(result.ok).toBe(typeof event.properties.sessionID === "string" && schema.success);
        if (result.ok && schema.success) expect(result.event).toStrictEqual(schema.data);
        if (!result.ok && typeof event.properties.sessionID === "string") expect(result.reason.code).toBe("invalid_shape");
      }),
      { numRuns: 2000 },
    );
  });
});

