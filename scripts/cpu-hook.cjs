// `node -r scripts/cpu-hook.cjs …`: on exit, writes this process's CPU time and wall time as
// JSON to the file named by BENCH_CPU_FILE, so every process in `npm run bench` is measured the
// same way whatever it is.
//
// cpuUs is user + system time of the whole process (every thread: GC, libuv pool, JIT) from
// process.cpuUsage(), i.e. getrusage(RUSAGE_SELF): it includes Node's own start-up and module
// loading, which happened before this file ran. wallMs is milliseconds since the process's time
// origin (performance.now()). maxRssKb is the peak resident set size in KiB
// (process.resourceUsage().maxRSS, getrusage's ru_maxrss), for scripts/memory.mjs. The 'exit' event fires on a normal end and on process.exit(), not
// on a death by signal: processes that are stopped by a signal must exit through process.exit.
'use strict';
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a `node -r` preload is CommonJS */
const { writeFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');

const file = process.env.BENCH_CPU_FILE;
if (file) {
  // Children of this process (none in the bench) must not overwrite the figure.
  delete process.env.BENCH_CPU_FILE;
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    const record = {
      cpuUs: user + system,
      userUs: user,
      systemUs: system,
      wallMs: Math.round(performance.now() * 1000) / 1000,
      maxRssKb: process.resourceUsage().maxRSS,
    };
    try {
      writeFileSync(file, JSON.stringify(record) + '\n');
    } catch (err) {
      process.stderr.write(`cpu-hook: cannot write ${file}: ${err.message}\n`);
    }
  });
}
