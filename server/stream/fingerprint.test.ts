import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { fingerprint } from "./fingerprint";

// A fingerprint says "same content" or "changed": for long texts too, which it hashes apart.

const long = (tail: string) => "word ".repeat(20_000) + tail;

it("is the same for the same content in any key order, and differs when any string changes, long ones included", () => {
  const part = (text: string, status = "done") => ({ id: "prt_1", text, data: { text, state: { status } } });
  expect(fingerprint(part(long("a")))).toBe(fingerprint({ data: { state: { status: "done" }, text: long("a") }, text: long("a"), id: "prt_1" }));
  expect(fingerprint(part(long("a")))).not.toBe(fingerprint(part(long("b"))));
  expect(fingerprint(part(long("a")))).not.toBe(fingerprint(part(long("a"), "running")));
  // A long text in one field and the same text in another are not the same content.
  expect(fingerprint({ a: long("x"), b: "" })).not.toBe(fingerprint({ a: "", b: long("x") }));
  // Nor is a long text the short string that happens to spell a digest.
  const digest = createHash("sha1").update(long("y")).digest("base64");
  expect(fingerprint({ a: long("y") })).not.toBe(fingerprint({ a: `#${digest}` }));
  // Short and long strings that differ only past the threshold still differ.
  expect(fingerprint([long("é")])).not.toBe(fingerprint([long("e")]));
});
