import { describe, expect, it } from "vitest";
import { ArchiveError } from "./errors";
import { importDonePath, importFailedPath, importNotice } from "./import-notice";

const paramsOf = (path: string) => Object.fromEntries(new URL(path, "http://x").searchParams);

describe("import notices passed through the Archive page's address", () => {
  it("round-trips an import's counts and a refusal as keys the page turns into its own sentences", () => {
    const done = importDonePath({ runnerId: "r", runnerName: 'evil "name"', trees: 2, sessions: 5, changes: 40, failed: [{ root: "s", error: "boom" }], unreadable: 0 });
    expect(done).not.toContain("evil");
    expect(importNotice(paramsOf(done))).toEqual({ tone: "result", text: "Imported 2 session tree(s) (5 sessions, 40 changes). 1 tree(s) failed; the server log says why." });
    const damaged = importDonePath({ runnerId: "r", runnerName: "x", trees: 9, sessions: 11, changes: 86, failed: [], unreadable: 2 });
    expect(importNotice(paramsOf(damaged))!.text).toBe(
      "Imported 9 session tree(s) (11 sessions, 86 changes). 2 message or part row(s) of the file hold no readable data and were left out.",
    );
    const refused = importFailedPath(new ArchiveError("invalid", '"notes.txt" is not an opencode database'));
    expect(refused).toBe("/archive?import=invalid");
    expect(importNotice(paramsOf(refused))).toMatchObject({ tone: "error", text: expect.stringMatching(/not a readable opencode database/) });
    expect(importNotice(paramsOf("/archive?import=source_gone"))).toEqual({ tone: "error", text: "The import failed; the server log says why." });
  });

  it("says which part of a refused upload was wrong: the file, the form or the runner name", () => {
    const notice = (refused: "not-opencode" | "form" | "runner-name") => importNotice(paramsOf(importFailedPath(new ArchiveError("invalid", "x", undefined, refused))))!.text;
    expect(importFailedPath(new ArchiveError("invalid", "x", undefined, "form"))).toBe("/archive?import=invalid&refused=form");
    expect(notice("not-opencode")).toMatch(/the file is not a readable opencode database/);
    expect(notice("form")).toMatch(/the form was incomplete/);
    expect(notice("runner-name")).toMatch(/a live runner has that name/);
    // A crafted value is not a refusal: the general sentence.
    expect(importNotice(paramsOf("/archive?import=invalid&refused=Call+us"))!.text).toMatch(/the form was incomplete, or the runner name/);
  });

  it("shows nothing for text a link puts in the address", () => {
    for (const crafted of [
      "/archive?error=Call+this+number",
      "/archive?result=Your+account+is+locked",
      "/archive?import=Call+this+number",
      "/archive?import=__proto__",
      "/archive?import=done&trees=1&sessions=2&changes=3&failed=Call+this+number",
      "/archive?import=done&trees=1e9&sessions=2&changes=3&failed=0",
    ]) {
      expect(importNotice(paramsOf(crafted)), crafted).toBeUndefined();
    }
  });
});
