import { describe, expect, it } from "vitest";
import { isDark, parseThemeChoice, THEME_BOOT_SCRIPT, THEME_KEY, type ThemeChoice } from "./theme";

describe("parseThemeChoice", () => {
  it("keeps the three choices and reads anything else as following the system", () => {
    expect(parseThemeChoice("dark")).toBe("dark");
    expect(parseThemeChoice("light")).toBe("light");
    expect(parseThemeChoice("system")).toBe("system");
    expect(parseThemeChoice(null)).toBe("system");
    expect(parseThemeChoice("Dark")).toBe("system");
  });
});

describe("the boot script agrees with isDark", () => {
  const run = (stored: string | null, systemDark: boolean, storageThrows = false) => {
    const classes = new Set<string>();
    const storage = {
      getItem: (key: string) => {
        if (storageThrows) throw new Error("blocked");
        return key === THEME_KEY ? stored : null;
      },
    };
    const documentElement = { classList: { toggle: (name: string, on: boolean) => (on ? classes.add(name) : classes.delete(name)) } };
    new Function("localStorage", "matchMedia", "document", THEME_BOOT_SCRIPT)(
      storage,
      () => ({ matches: systemDark }),
      { documentElement },
    );
    return classes.has("dark");
  };

  for (const choice of ["system", "light", "dark"] as ThemeChoice[])
    for (const systemDark of [false, true])
      it(`${choice} with a ${systemDark ? "dark" : "light"} system`, () => {
        expect(run(choice, systemDark)).toBe(isDark(choice, systemDark));
      });

  it("follows the system when nothing is stored or storage is blocked", () => {
    expect(run(null, true)).toBe(true);
    expect(run("light", true, true)).toBe(true);
    expect(run("dark", false, true)).toBe(false);
  });
});
