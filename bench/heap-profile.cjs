/**
 * An allocation profiler for the app's processes under the bench, garbage included (what a
 * heap snapshot cannot show: objects allocated and already collected):
 *   BENCH_APP_NODE_OPTIONS="--require ./bench/heap-profile.cjs" BENCH_PROFILE_DIR=/tmp/prof npm run bench
 * Each process samples from its start (one sample per 16 KB allocated); `touch /tmp/prof/cut-<pid>`
 * writes what it has so far to `/tmp/prof/<pid>-<n>.heapprofile` (Chrome DevTools opens it) and
 * starts anew, so a window (one section, the seconds of an opening) can be cut out.
 */
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  fs.mkdirSync(dir, { recursive: true });
  const session = new inspector.Session();
  session.connect();
  const start = () =>
    session.post("HeapProfiler.startSampling", { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  session.post("HeapProfiler.enable", start);
  let written = 0;
  const cut = path.join(dir, `cut-${process.pid}`);
  setInterval(() => {
    if (!fs.existsSync(cut)) return;
    fs.unlinkSync(cut);
    session.post("HeapProfiler.stopSampling", (error, result) => {
      if (!error) fs.writeFileSync(path.join(dir, `${process.pid}-${written++}.heapprofile`), JSON.stringify(result.profile));
      start();
    });
  }, 200).unref();
}
