/** One live stream per session tree: a runner's root session. */
export const streamKey = (runnerId: string, rootOpencodeId: string) => `${runnerId}/${rootOpencodeId}`;

export function parseStreamKey(key: string): { runnerId: string; rootOpencodeId: string } {
  const slash = key.indexOf("/");
  return { runnerId: key.slice(0, slash), rootOpencodeId: key.slice(slash + 1) };
}
