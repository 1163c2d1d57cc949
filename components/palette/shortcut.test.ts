import { describe, expect, it } from "vitest";
import { isPaletteShortcut, shortcutHint } from "./shortcut";

const press = (key: string, mods: Partial<Record<"ctrlKey" | "metaKey" | "altKey" | "shiftKey" | "repeat", boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  repeat: false,
  ...mods,
});

describe("the palette's shortcut", () => {
  it("is Ctrl+K or Cmd+K, Caps Lock or not", () => {
    expect(isPaletteShortcut(press("k", { ctrlKey: true }))).toBe(true);
    expect(isPaletteShortcut(press("k", { metaKey: true }))).toBe(true);
    expect(isPaletteShortcut(press("K", { ctrlKey: true }))).toBe(true);
  });
  it("is not K alone, another combination, or a key held down", () => {
    expect(isPaletteShortcut(press("k"))).toBe(false);
    expect(isPaletteShortcut(press("K", { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isPaletteShortcut(press("k", { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isPaletteShortcut(press("j", { ctrlKey: true }))).toBe(false);
    expect(isPaletteShortcut(press("k", { ctrlKey: true, repeat: true }))).toBe(false);
  });
  it("is labelled as on the reader's keyboard", () => {
    expect(shortcutHint("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)")).toBe("⌘K");
    expect(shortcutHint("Mozilla/5.0 (X11; Linux x86_64)")).toBe("Ctrl K");
  });
});
