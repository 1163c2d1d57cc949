/** What a person picked: follow the operating system, or one theme whatever it says. */
export type ThemeChoice = "system" | "light" | "dark";

export const THEME_CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];

/** Where the choice is kept, per browser (no account setting: it is about this screen). */
export const THEME_KEY = "flightdeck.theme";

export function parseThemeChoice(stored: string | null | undefined): ThemeChoice {
  return THEME_CHOICES.includes(stored as ThemeChoice) ? (stored as ThemeChoice) : "system";
}

/** Whether the page is dark, for a choice and what the system prefers. */
export function isDark(choice: ThemeChoice, systemDark: boolean): boolean {
  return choice === "dark" || (choice === "system" && systemDark);
}

/**
 * Runs in <head> before the body is painted, so a dark-mode reader never sees a white flash
 * while React loads. It is the same rule as `isDark`, inlined: nothing can be imported there.
 * A browser that refuses localStorage (private mode, blocked storage) follows the system.
 */
export const THEME_BOOT_SCRIPT = `(function(){var c="system";try{c=localStorage.getItem(${JSON.stringify(THEME_KEY)})||"system"}catch(e){}var d=c==="dark"||(c!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d)})()`;
