"use client";

import { useEffect, useState } from "react";
import { isDark, parseThemeChoice, THEME_CHOICES, THEME_KEY, type ThemeChoice } from "./theme";

// Short: the header has little room; the menu's name ("Theme") says what they are.
const LABELS: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };
const SYSTEM_DARK = "(prefers-color-scheme: dark)";

function apply(choice: ThemeChoice) {
  document.documentElement.classList.toggle("dark", isDark(choice, matchMedia(SYSTEM_DARK).matches));
}

function stored(): ThemeChoice {
  try {
    return parseThemeChoice(localStorage.getItem(THEME_KEY));
  } catch {
    return "system";
  }
}

/**
 * System / light / dark, remembered in this browser. The class is first set by the boot script
 * in the root layout (before paint); this keeps it right when the choice or the system changes.
 */
export function ThemeToggle() {
  // Unknown until mounted (the server cannot read localStorage); the boot script's class stands.
  const [choice, setChoice] = useState<ThemeChoice | null>(null);
  useEffect(() => setChoice(stored()), []);
  useEffect(() => {
    if (!choice) return;
    apply(choice);
    if (choice !== "system") return;
    const media = matchMedia(SYSTEM_DARK);
    const follow = () => apply("system");
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, [choice]);
  return (
    <select
      aria-label="Theme"
      data-testid="theme-toggle"
      value={choice ?? "system"}
      onChange={(e) => {
        const next = parseThemeChoice(e.target.value);
        try {
          localStorage.setItem(THEME_KEY, next);
        } catch {
          // Storage blocked: the choice holds for this page only.
        }
        setChoice(next);
      }}
      className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-xs text-slate-700"
    >
      {THEME_CHOICES.map((c) => (
        <option key={c} value={c}>
          {LABELS[c]}
        </option>
      ))}
    </select>
  );
}
