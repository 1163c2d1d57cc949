/**
 * A profiler for the app's processes under the bench (Node refuses `--cpu-prof` in NODE_OPTIONS):
 *   BENCH_APP_NODE_OPTIONS="--require ./bench/profile.cjs" BENCH_PROFILE_DIR=/tmp/prof npm run bench
 * CPU by default; `BENCH_PROFILE_KIND=heap` samples allocations instead (one sample per 16 KB),
 * garbage included, which a heap snapshot cannot show. Each process profiles from its start;
 * `touch /tmp/prof/cut-<pid>` writes what it has so far to `/tmp/prof/<pid>-<n>.cpuprofile` (or
 * `.heapprofile`; Chrome DevTools opens both) and starts anew, so a window (one section, the
 * seconds of one stream) can be cut out. Writing takes the process a moment: cut outside what is
 * measured.
 */
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const KINDS = {
  cpu: { domain: "Profiler", start: ["Profiler.start"], stop: "Profiler.stop", extension: "cpuprofile" },
  heap: {
    domain: "HeapProfiler",
    start: ["HeapProfiler.startSampling", { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }],
    stop: "HeapProfiler.stopSampling",
    extension: "heapprofile",
  },
};

const dir = process.env.BENCH_PROFILE_DIR;
const kind = KINDS[process.env.BENCH_PROFILE_KIND ?? "cpu"];
if (dir && kind) {
  fs.mkdirSync(dir, { recursive: true });
  const session = new inspector.Session();
  session.connect();
  const start = () => session.post(...kind.start);
  session.post(`${kind.domain}.enable`, start);
  let written = 0;
  const cut = path.join(dir, `cut-${process.pid}`);
  setInterval(() => {
    if (!fs.existsSync(cut)) return;
    fs.unlinkSync(cut);
    session.post(kind.stop, (error, result) => {
      if (!error) fs.writeFileSync(path.join(dir, `${process.pid}-${written++}.${kind.extension}`), JSON.stringify(result.profile));
      start();
    });
  }, 200).unref();
}
