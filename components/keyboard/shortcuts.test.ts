import { describe, expect, it } from "vitest";
import { shortcutOf } from "./shortcuts";

type Press = Parameters<typeof shortcutOf>[0];
const press = (key: string, target: Press["target"], overrides: Partial<Press> = {}) =>
  shortcutOf({ key, ctrlKey: false, metaKey: false, altKey: false, isComposing: false, defaultPrevented: false, target, ...overrides });
const page = { tagName: "BODY", isContentEditable: false };

describe("shortcutOf", () => {
  it("takes / j k ? pressed on the page, a link or a button", () => {
    expect(press("/", page)).toBe("search");
    expect(press("j", { tagName: "A", isContentEditable: false })).toBe("next");
    expect(press("k", { tagName: "BUTTON", isContentEditable: false })).toBe("previous");
    expect(press("?", null)).toBe("help");
  });
  it("leaves them typed into a field as text", () => {
    for (const tagName of ["INPUT", "TEXTAREA", "SELECT"]) {
      for (const key of ["/", "j", "k", "?"]) expect(press(key, { tagName, isContentEditable: false })).toBeUndefined();
    }
    expect(press("j", { tagName: "DIV", isContentEditable: true })).toBeUndefined();
  });
  it("takes Escape anywhere, even in a field, but not inside an open dialog (it closes that) nor on a drop-down", () => {
    expect(press("Escape", { tagName: "TEXTAREA", isContentEditable: false, closest: () => null })).toBe("escape");
    expect(press("Escape", { tagName: "SELECT", isContentEditable: false, closest: () => null })).toBeUndefined();
    expect(press("Escape", { tagName: "INPUT", isContentEditable: false, closest: (s) => (s === "dialog[open]" ? {} : null) })).toBeUndefined();
  });
  it("leaves other keys, modified keys, composition and handled presses alone", () => {
    expect(press("x", page)).toBeUndefined();
    expect(press("/", page, { ctrlKey: true })).toBeUndefined();
    expect(press("k", page, { metaKey: true })).toBeUndefined();
    expect(press("j", page, { isComposing: true })).toBeUndefined();
    expect(press("Escape", page, { defaultPrevented: true })).toBeUndefined();
  });
});
