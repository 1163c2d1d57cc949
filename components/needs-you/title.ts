// The tab title and icon carry what waits for a person, so a background tab says it.

const PREFIX = /^\(\d+\) Waiting · /;

/** The title without any count this module put in front of it. */
export function baseTitle(title: string): string {
  return title.replace(PREFIX, "");
}

/** "(2) Waiting · Flightdeck" while requests wait, the page's own title otherwise. */
export function attentionTitle(title: string, waiting: number): string {
  const base = baseTitle(title);
  return waiting > 0 ? `(${waiting}) Waiting · ${base}` : base;
}

/** A session page's title: its state first, where a tab strip shows it. */
export function sessionTitle(state: string, title: string): string {
  return `${state} · ${title} · Flightdeck`;
}

/** The app's icon with an amber dot: something waits. */
export function waitingIcon(): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">` +
    `<rect width="32" height="32" rx="7" fill="#0f172a"/><path d="M7 21h18l-4-9H11z" fill="#f8fafc"/>` +
    `<circle cx="25" cy="7" r="7" fill="#f59e0b"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
