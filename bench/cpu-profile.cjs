/**
 * A CPU profiler for the app's processes under the bench (Node refuses `--cpu-prof` in
 * NODE_OPTIONS):
 *   BENCH_APP_NODE_OPTIONS="--require ./bench/cpu-profile.cjs" BENCH_PROFILE_DIR=/tmp/prof npm run bench
 * Each process profiles from its start; `touch /tmp/prof/cut-<pid>` writes what it has so far
 * to `/tmp/prof/<pid>-<n>.cpuprofile` and starts anew, so a window (one section, the seconds of
 * one stream) can be cut out. Writing takes the process a moment: cut outside what is measured.
 */
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  fs.mkdirSync(dir, { recursive: true });
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable", () => session.post("Profiler.start"));
  let written = 0;
  const cut = path.join(dir, `cut-${process.pid}`);
  setInterval(() => {
    if (!fs.existsSync(cut)) return;
    fs.unlinkSync(cut);
    session.post("Profiler.stop", (error, result) => {
      if (!error) fs.writeFileSync(path.join(dir, `${process.pid}-${written++}.cpuprofile`), JSON.stringify(result.profile));
      session.post("Profiler.start");
    });
  }, 200).unref();
}
