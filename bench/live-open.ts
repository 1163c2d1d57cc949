/**
 * The live view as a person opens it: `/sessions/<id>` in Chromium through `npm start`, from
 * the navigation's start to the first conversation row in the page (the snapshot fetched,
 * folded and rendered). Median of 3 fresh pages, after a warm-up that compiles nothing new.
 */
import type { AppClient } from "./client";
import { launchChromium } from "./chromium";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function openToFirstRows(app: AppClient, sessionId: string): Promise<number> {
  const browser = await launchChromium();
  const [name, ...value] = app.cookie.split("=");
  const url = `${app.base}/sessions/${sessionId}`;
  try {
    const samples: number[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await browser.newPage();
      // For the whole origin: set for the page's url, its path would be /sessions, and the API
      // calls would go without it.
      await page.context().addCookies([{ name: name!, value: value.join("="), url: app.base }]);
      await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
      // performance.now() counts from the navigation's start.
      const at = await page.waitForFunction(() => (document.querySelector("[data-testid=conversation] [data-index]") ? performance.now() : false), null, {
        polling: "raf",
        timeout: 120_000,
      });
      if (i > 0) samples.push((await at.jsonValue()) as number);
      await page.close();
    }
    return median(samples);
  } finally {
    await browser.close();
  }
}
