/**
 * Moves the focus to the next (+1) or previous (-1) of `links` from the one in focus (from
 * outside the list: the first, or the last going back), and keeps it in view.
 */
export function moveFocus(links: HTMLElement[], active: Element | null, step: 1 | -1): void {
  if (links.length === 0) return;
  const at = links.findIndex((link) => link === active);
  const next = at === -1 ? (step === 1 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
  links[next]!.focus();
  links[next]!.scrollIntoView({ block: "nearest" });
}
