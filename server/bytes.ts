const KB = 1024;
const MB = 1024 ** 2;
const GB = 1024 ** 3;

/** A size as people read it, in binary units: "12 KB", "3.4 MB", "250 MB", "1 GB", "1.25 GB". */
export function formatBytes(bytes: number): string {
  if (bytes < MB) return `${Math.max(bytes ? 1 : 0, Math.round(bytes / KB))} KB`;
  if (bytes < 10 * MB) return `${Number((bytes / MB).toFixed(1))} MB`;
  if (bytes < GB) return `${Math.round(bytes / MB)} MB`;
  return `${Number((bytes / GB).toFixed(2))} GB`;
}
