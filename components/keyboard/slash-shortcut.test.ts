import { describe, expect, it } from "vitest";
import { isSlashShortcut } from "./slash-shortcut";

type Press = Parameters<typeof isSlashShortcut>[0];
const press = (target: Press["target"], overrides: Partial<Press> = {}) =>
  isSlashShortcut({ key: "/", ctrlKey: false, metaKey: false, altKey: false, isComposing: false, defaultPrevented: false, target, ...overrides });

describe("isSlashShortcut", () => {
  it("takes / pressed on the page, a link or a button", () => {
    expect(press({ tagName: "BODY", isContentEditable: false })).toBe(true);
    expect(press({ tagName: "A", isContentEditable: false })).toBe(true);
    expect(press({ tagName: "BUTTON", isContentEditable: false })).toBe(true);
    expect(press(null)).toBe(true);
  });
  it("leaves / typed into a field as text", () => {
    for (const tagName of ["INPUT", "TEXTAREA", "SELECT"]) expect(press({ tagName, isContentEditable: false })).toBe(false);
    expect(press({ tagName: "DIV", isContentEditable: true })).toBe(false);
  });
  it("leaves other keys, modified slashes, composition and handled presses alone", () => {
    expect(press({ tagName: "BODY" }, { key: "?" })).toBe(false);
    expect(press({ tagName: "BODY" }, { ctrlKey: true })).toBe(false);
    expect(press({ tagName: "BODY" }, { metaKey: true })).toBe(false);
    expect(press({ tagName: "BODY" }, { isComposing: true })).toBe(false);
    expect(press({ tagName: "BODY" }, { defaultPrevented: true })).toBe(false);
  });
});
