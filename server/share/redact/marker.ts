/** What a secret becomes: the kind of secret that was there, never any of its bytes. */
export function marker(kind: string): string {
  return `${MARKER_PREFIX}${kind}]`;
}

// Text that starts with this is our own output; detectors must not treat it as a secret again.
export const MARKER_PREFIX = "[redacted:";
