import { expect, it } from "vitest";
import { formatTime, relativeTime } from "./format";

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
