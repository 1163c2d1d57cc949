import { expect, it } from "vitest";
import { formatTime, formatUtcTime, relativeTime } from "./format";

it("says how long ago a time was, in the words people use, and the date past a week", () => {
  const now = Date.parse("2026-12-03T12:00:00Z");
  const ago = (ms: number) => relativeTime(now - ms, now);
  expect(ago(10_000)).toBe("just now");
  expect(ago(-10_000)).toBe("just now");
  expect(ago(3 * 60_000)).toBe("3 minutes ago");
  expect(ago(60_000)).toBe("1 minute ago");
  expect(ago(2 * 3_600_000)).toBe("2 hours ago");
  expect(ago(26 * 3_600_000)).toBe("yesterday");
  expect(ago(3 * 86_400_000)).toBe("3 days ago");
  expect(relativeTime(now + 2 * 3_600_000, now)).toBe("in 2 hours");
  expect(ago(8 * 86_400_000)).toBe(formatTime(now - 8 * 86_400_000));
});

it("prints the hours after midnight as 00, not 24, and labels the server's UTC times", () => {
  expect(formatUtcTime(Date.parse("2026-12-07T00:05:09Z"))).toBe("Dec 7, 00:05:09 UTC");
  expect(formatUtcTime(Date.parse("2026-12-06T23:51:54Z"))).toBe("Dec 6, 23:51:54 UTC");
});
