import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { quote } from "./shell";

it("quotes any text as one shell word: nothing in it runs or splits", () => {
  const hostile = ["it's", "a b", "$(touch /tmp/pwned)", "`id`", "; rm -rf /", "\"quoted\"", "new\nline", "back\\slash", "'", ""];
  for (const text of hostile) {
    expect(execFileSync("sh", ["-c", `printf %s ${quote(text)}`], { encoding: "utf8" })).toBe(text);
  }
  expect(execFileSync("sh", ["-c", `printf '%s|' ${hostile.map(quote).join(" ")}`], { encoding: "utf8" }).split("|")).toHaveLength(hostile.length + 1);
});
