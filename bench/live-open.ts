/**
 * The live view as a person opens it: `/sessions/<id>` in Chromium through `npm start`, from
 * the navigation's start to the first conversation rows in the page: the conversation's end the
 * page renders on the server (`firstRows`), and the live list once the stream's snapshot is
 * fetched, folded and rendered (`liveRows`). Median of 3 fresh pages, after a warm-up that
 * compiles nothing new.
 */
import type { AppClient } from "./client";
import { launchChromium } from "./chromium";

// In the page from its first byte: when each kind of row first shows. A string, not a function:
// the bench's TypeScript transform adds helpers (`__name`) a page does not have.
const NOTE_ROWS = `
window.rowsSeen = {};
(function look() {
  const seen = window.rowsSeen;
  if (!seen.first && document.querySelector("[data-testid=conversation-tail] [data-tail-row], [data-testid=conversation] [data-index]")) seen.first = performance.now();
  if (!seen.live && document.querySelector("[data-testid=conversation] [data-index]")) seen.live = performance.now();
  if (!seen.live) requestAnimationFrame(look);
})();
`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function openToFirstRows(app: AppClient, sessionId: string): Promise<{ firstRows: number; liveRows: number }> {
  const browser = await launchChromium();
  const [name, ...value] = app.cookie.split("=");
  const url = `${app.base}/sessions/${sessionId}`;
  try {
    const first: number[] = [];
    const live: number[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await browser.newPage();
      // For the whole origin: set for the page's url, its path would be /sessions, and the API
      // calls would go without it.
      await page.context().addCookies([{ name: name!, value: value.join("="), url: app.base }]);
      // performance.now() counts from the navigation's start.
      await page.addInitScript({ content: NOTE_ROWS });
      await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
      const at = await page.waitForFunction(() => {
        const seen = (window as unknown as { rowsSeen?: Record<string, number> }).rowsSeen;
        return seen?.live ? seen : false;
      }, null, { polling: "raf", timeout: 120_000 });
      const seen = (await at.jsonValue()) as Record<string, number>;
      if (i > 0) first.push(seen.first!), live.push(seen.live!);
      await page.close();
    }
    return { firstRows: median(first), liveRows: median(live) };
  } finally {
    await browser.close();
  }
}
