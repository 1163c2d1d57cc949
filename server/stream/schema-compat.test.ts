import { readFileSync } from "node:fs";
import path from "node:path";
import type * as Sdk from "@opencode-ai/sdk/v2/types";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import { SessionStatus, ToolStatus } from "./entities";
import { RawEvent, handledTypes } from "./raw-event";

function prismaEnum(name: string): string[] {
  const schema = readFileSync(path.join(__dirname, "../../prisma/schema.prisma"), "utf8");
  const body = schema.match(new RegExp(`enum ${name} \\{([^}]*)\\}`))?.[1] ?? "";
  return body
    .split("\n")
    .map((line) => line.replace(/\/\/.*/, "").trim())
    .filter(Boolean);
}

describe("schemas stay in step with their sources of truth", () => {
  it("uses the database's session and tool span statuses", () => {
    expect(SessionStatus.options).toEqual(prismaEnum("SessionStatus"));
    // opencode's tool states, and Flightdeck's own for a call its session's end cut off.
    expect([...ToolStatus.options, "interrupted"]).toEqual(prismaEnum("ToolSpanStatus"));
  });

  it("accepts every SDK event type it consumes as typed by the SDK (checked by tsc)", () => {
    // session.error may come without a sessionID: such an error has no session to be shown
    // in, so parseRawEvent refuses it as unroutable and the schema requires the id.
    type Consumed = Exclude<Extract<Sdk.Event, { type: z.infer<typeof RawEvent>["type"] }>, Sdk.EventSessionError>;
    // Our schemas never require a field the SDK does not promise.
    expectTypeOf<Consumed>().toExtend<z.input<typeof RawEvent>>();
    // And every type we handle exists in the SDK's union.
    expectTypeOf<z.infer<typeof RawEvent>["type"]>().toExtend<Sdk.Event["type"]>();
    expect(handledTypes.size).toBe(RawEvent.options.length);
  });
});
