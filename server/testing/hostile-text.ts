import fc from "fast-check";

/**
 * Text as a runner or user may send it: any UTF-16 code units, biased towards what PostgreSQL
 * refuses (NUL, unpaired surrogates), the lossless encoding's escape U+FDD0 and well-formed pairs
 * next to them, which uniform code units would rarely produce.
 */
export function hostileText(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: fc.constantFrom("\u0000", "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uFDD0", "a", "0", "\uD83D\uDE00"), maxLength }),
  );
}
