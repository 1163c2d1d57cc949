import { THEME_BOOT_SCRIPT } from "./theme";

/**
 * The root layouts' <head>: sets the theme class before the body paints. `<html>` carries
 * suppressHydrationWarning because this script changes its class before React hydrates.
 */
export function ThemeBoot() {
  return (
    <head>
      <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
    </head>
  );
}
