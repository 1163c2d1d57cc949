// A link that only shows while it has the keyboard's focus, for skipping past what precedes
// what a keyboard user came for (the header's links, a summary's tables).
export const SKIP_LINK =
  "sr-only focus:not-sr-only focus:absolute focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-sky-800 focus:shadow focus:outline-2 focus:outline-sky-600";
